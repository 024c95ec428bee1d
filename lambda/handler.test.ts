import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { handler } from './handler.ts';

let log: MockInstance<typeof console.log>;

beforeEach(() => {
  log = vi.spyOn(console, 'log').mockImplementation(() => {});
});

afterEach(() => {
  log.mockRestore();
});

const event = {
  task_title: 'Write report',
  assigned_to: 'alice',
  task_id: 7,
  event_id: '0b7c6f0e-3f7a-4d57-9a53-2f7d1a0e5c11',
  completed_at: '2025-01-02T03:04:05.000Z',
  completed_by: 'bob',
};

describe('handler', () => {
  it('logs one notification line and returns 200 with the message', async () => {
    const result = await handler(event);

    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(
      "Lambda Notification: Task 'Write report' assigned to alice is now completed.",
    );
    expect(result).toEqual({
      statusCode: 200,
      body: '{"message": "Task \'Write report\' assigned to alice is now completed."}',
    });
  });

  it('writes the body exactly like json.dumps, with a space after the colon', async () => {
    const { body } = await handler({ task_title: 'a"b\\c/\n\t\u0001', assigned_to: 'x' });

    expect(body).toBe(
      '{"message": "Task \'a\\"b\\\\c/\\n\\t\\u0001\' assigned to x is now completed."}',
    );
  });

  it('escapes non-ASCII as lowercase \\uXXXX code units like ensure_ascii', async () => {
    const { body } = await handler({ task_title: 'Café 😀 中文\u007f', assigned_to: 'zoë' });

    // Expected bytes produced by CPython's json.dumps for the same message.
    expect(body).toBe(
      '{"message": "Task \'Caf\\u00e9 \\ud83d\\ude00 \\u4e2d\\u6587\\u007f\' assigned to zo\\u00eb is now completed."}',
    );
    expect(JSON.parse(body)).toEqual({
      message: "Task 'Café 😀 中文\u007f' assigned to zoë is now completed.",
    });
    expect(log).toHaveBeenCalledWith(
      "Lambda Notification: Task 'Café 😀 中文\u007f' assigned to zoë is now completed.",
    );
  });

  it('escapes a lone surrogate as Python does', async () => {
    const { body } = await handler({ task_title: '\ud800', assigned_to: 'x' });

    expect(body).toBe('{"message": "Task \'\\ud800\' assigned to x is now completed."}');
  });

  it('uses the defaults when fields are missing', async () => {
    const result = await handler({});

    expect(log).toHaveBeenCalledWith(
      "Lambda Notification: Task 'Unknown Task' assigned to Unassigned is now completed.",
    );
    expect(result.body).toBe(
      '{"message": "Task \'Unknown Task\' assigned to Unassigned is now completed."}',
    );
  });

  it('treats null fields as missing', async () => {
    const { body } = await handler({ task_title: null, assigned_to: null });

    expect(body).toBe(
      '{"message": "Task \'Unknown Task\' assigned to Unassigned is now completed."}',
    );
  });

  it('keeps an empty string, which is present', async () => {
    const { body } = await handler({ task_title: '', assigned_to: '' });

    expect(body).toBe('{"message": "Task \'\' assigned to  is now completed."}');
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'task_title'],
    ['a number', 42],
    ['an array', [{ task_title: 'x' }]],
  ])('treats %s as an event without fields', async (_name, input) => {
    const result = await handler(input);

    expect(result).toEqual({
      statusCode: 200,
      body: '{"message": "Task \'Unknown Task\' assigned to Unassigned is now completed."}',
    });
  });

  it('shows non-string fields as JSON', async () => {
    const { body } = await handler({ task_title: 12, assigned_to: { name: 'a' } });

    expect(body).toBe(
      '{"message": "Task \'12\' assigned to {\\"name\\":\\"a\\"} is now completed."}',
    );
  });

  it('ignores inherited properties', async () => {
    const { body } = await handler(Object.create({ task_title: 'inherited' }));

    expect(body).toBe(
      '{"message": "Task \'Unknown Task\' assigned to Unassigned is now completed."}',
    );
  });
});
