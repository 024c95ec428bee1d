import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type LambdaHandler, type LocalLambda, startLocalLambda } from './local-endpoint.ts';

const open: LocalLambda[] = [];

async function start(handler: LambdaHandler): Promise<LocalLambda> {
  const lambda = await startLocalLambda({ port: 0, handler });
  open.push(lambda);
  return lambda;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((lambda) => lambda.close()));
  vi.restoreAllMocks();
});

function invoke(lambda: LocalLambda, body: string, headers: Record<string, string> = {}) {
  return fetch(`${lambda.url}/2015-03-31/functions/task-completed/invocations`, {
    method: 'POST',
    headers,
    body,
  });
}

function sdkClient(lambda: LocalLambda): LambdaClient {
  return new LambdaClient({
    endpoint: lambda.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

describe('local Lambda endpoint', () => {
  it('answers RequestResponse with the result as JSON', async () => {
    const handler = vi.fn(async () => ({ statusCode: 200, body: 'ok' }));
    const lambda = await start(handler);

    const response = await invoke(lambda, '{"task_title":"T"}');

    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-executed-version')).toBe('$LATEST');
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.text()).toBe('{"statusCode":200,"body":"ok"}');
    expect(handler).toHaveBeenCalledWith(
      { task_title: 'T' },
      expect.objectContaining({ functionName: 'task-completed', functionVersion: '$LATEST' }),
    );
  });

  it('runs the real notifier function by default', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const lambda = await startLocalLambda({ port: 0 });
    open.push(lambda);

    const response = await invoke(lambda, '{"task_title":"Café","assigned_to":"bob"}');

    expect(await response.json()).toEqual({
      statusCode: 200,
      body: '{"message": "Task \'Caf\\u00e9\' assigned to bob is now completed."}',
    });
  });

  it('passes {} for an empty payload and answers null for an undefined result', async () => {
    const handler = vi.fn(() => undefined);
    const lambda = await start(handler);

    const response = await invoke(lambda, '');

    expect(await response.text()).toBe('null');
    expect(handler).toHaveBeenCalledWith({}, expect.anything());
  });

  it('answers Event with 202 and an empty body without waiting for the handler', async () => {
    const { promise: ran, resolve } = Promise.withResolvers<unknown>();
    const lambda = await start((event) => {
      resolve(event);
      return new Promise(() => {});
    });

    const response = await invoke(lambda, '{"a":1}', { 'X-Amz-Invocation-Type': 'Event' });

    expect(response.status).toBe(202);
    expect(response.headers.get('content-length')).toBe('0');
    expect(await response.text()).toBe('');
    expect(await ran).toEqual({ a: 1 });
  });

  it('answers Event with 202 even when the handler fails, and logs the failure', async () => {
    const { promise: logged, resolve } = Promise.withResolvers<void>();
    const error = vi.spyOn(console, 'error').mockImplementation(() => resolve());
    const lambda = await start(() => {
      throw new Error('boom');
    });

    const response = await invoke(lambda, '{}', { 'X-Amz-Invocation-Type': 'Event' });

    expect(response.status).toBe(202);
    await logged;
    expect(error).toHaveBeenCalledWith(expect.stringContaining('failed'), new Error('boom'));
  });

  it('answers DryRun with 204 without running the handler', async () => {
    const handler = vi.fn();
    const lambda = await start(handler);

    const response = await invoke(lambda, '{}', { 'X-Amz-Invocation-Type': 'DryRun' });

    expect(response.status).toBe(204);
    expect(handler).not.toHaveBeenCalled();
  });

  it('reports a thrown error as an Unhandled function error with status 200', async () => {
    const lambda = await start(async () => {
      throw new TypeError('bad input');
    });

    const response = await invoke(lambda, '{}');

    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(await response.json()).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'bad input',
      trace: expect.arrayContaining([expect.stringContaining('TypeError: bad input')]),
    });
  });

  it('rejects a payload that is not JSON like Lambda does', async () => {
    const handler = vi.fn();
    const lambda = await start(handler);

    const response = await invoke(lambda, '{nope');

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    expect(await response.json()).toMatchObject({ Type: 'User' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('rejects an unknown invocation type', async () => {
    const lambda = await start(vi.fn());

    const response = await invoke(lambda, '{}', { 'X-Amz-Invocation-Type': 'Later' });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
  });

  it('answers other paths with 404', async () => {
    const lambda = await start(vi.fn());

    const response = await fetch(`${lambda.url}/2015-03-31/functions/x`);

    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  it('speaks the AWS SDK wire format', async () => {
    const lambda = await start((event) => ({ echoed: event }));
    const client = sdkClient(lambda);

    const sync = await client.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:task-completed',
        Payload: new TextEncoder().encode('{"x":"é"}'),
      }),
    );
    const async = await client.send(
      new InvokeCommand({ FunctionName: 'task-completed', InvocationType: 'Event' }),
    );
    const dry = await client.send(
      new InvokeCommand({ FunctionName: 'task-completed', InvocationType: 'DryRun' }),
    );

    expect(sync.StatusCode).toBe(200);
    expect(sync.ExecutedVersion).toBe('$LATEST');
    expect(sync.FunctionError).toBeUndefined();
    expect(JSON.parse(new TextDecoder().decode(sync.Payload))).toEqual({ echoed: { x: 'é' } });
    expect(async.StatusCode).toBe(202);
    expect(dry.StatusCode).toBe(204);
  });

  it('surfaces function errors and request errors through the AWS SDK', async () => {
    const lambda = await start(() => {
      throw new Error('boom');
    });
    const client = sdkClient(lambda);

    const failed = await client.send(new InvokeCommand({ FunctionName: 'task-completed' }));
    const invalid = client.send(
      new InvokeCommand({
        FunctionName: 'task-completed',
        Payload: new TextEncoder().encode('not json'),
      }),
    );

    expect(failed.StatusCode).toBe(200);
    expect(failed.FunctionError).toBe('Unhandled');
    expect(JSON.parse(new TextDecoder().decode(failed.Payload))).toMatchObject({
      errorType: 'Error',
      errorMessage: 'boom',
    });
    await expect(invalid).rejects.toMatchObject({ name: 'InvalidRequestContentException' });
  });

  it('closes promptly while an invocation hangs', async () => {
    const { promise: called, resolve } = Promise.withResolvers<void>();
    const lambda = await startLocalLambda({
      port: 0,
      handler: () => {
        resolve();
        return new Promise(() => {});
      },
    });
    const pending = invoke(lambda, '{}').catch((error: unknown) => error);
    await called;

    const started = Date.now();
    await lambda.close();

    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
