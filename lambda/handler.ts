// The AWS Lambda function that receives task events: completions and due-date reminders. It
// replaces a Python function and keeps that function's output for completions byte for byte; it
// must stay free of runtime dependencies so the bundle is this file alone.

export interface LambdaResult {
  statusCode: number;
  body: string;
}

const UNKNOWN_TASK = 'Unknown Task';
const UNASSIGNED = 'Unassigned';
const UNKNOWN_TIME = 'an unknown time';

/** What the function does with one event: the line it logs and what it returns. */
export function notification(event: unknown): { line: string; result: LambdaResult } {
  const fields = isRecord(event) ? event : {};
  const taskTitle = field(fields, 'task_title', UNKNOWN_TASK);
  const assignedTo = field(fields, 'assigned_to', UNASSIGNED);
  // Events sent before reminders existed carry no `event`: they are completions.
  const message =
    fields.event === 'task.due'
      ? `Task '${taskTitle}' assigned to ${assignedTo} is due at ${field(fields, 'due_at', UNKNOWN_TIME)}.`
      : `Task '${taskTitle}' assigned to ${assignedTo} is now completed.`;
  return {
    line: `Lambda Notification: ${message}`,
    result: { statusCode: 200, body: `{"message": ${pythonJsonString(message)}}` },
  };
}

/** In AWS the line goes to standard output, which Lambda sends to CloudWatch Logs. */
export async function handler(event: unknown, _context?: unknown): Promise<LambdaResult> {
  const { line, result } = notification(event);
  console.log(line);
  return result;
}

// Python raised AttributeError on an event that is not a dict, which only made Lambda retry a
// payload that can never succeed; treating it as an event without fields logs the defaults.
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Python's .get applied the default only to a missing key and printed None for null. Nobody
// wants "Task 'None'", so null counts as missing. Other non-strings are shown as JSON, not as
// "[object Object]".
function field(event: Record<string, unknown>, key: string, fallback: string): string {
  const value = Object.hasOwn(event, key) ? event[key] : undefined;
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return fallback;
}

// json.dumps with ensure_ascii: JSON.stringify already escapes like Python below U+007F (same
// short escapes, lowercase \u00xx, lone surrogates); Python also escapes DEL and everything
// above ASCII as lowercase \uxxxx UTF-16 code units.
function pythonJsonString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
