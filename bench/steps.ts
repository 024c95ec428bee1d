import type { RequestSpec } from 'autocannon';
import type { Fixtures } from './fixtures.ts';

export interface Step {
  key: string;
  label: string;
  connections: number;
  requests: RequestSpec[];
  /**
   * Waits until what the step's requests set going has finished (the completions' deliveries):
   * after the warm-up, and after the measured load, before its CPU time is read.
   */
  settle?: () => Promise<void>;
}

/** The read and write targets run at this many connections. */
export const CONNECTIONS = 64;
// A login costs one bcrypt comparison (hundreds of ms of CPU): more callers only queue longer.
const LOGIN_CONNECTIONS = 4;

export const hello: Step = {
  key: 'hello',
  label: 'GET /hello (bare Hono)',
  connections: CONNECTIONS,
  requests: [{ method: 'GET', path: '/hello' }],
};

const json = (token?: string) => ({
  'content-type': 'application/json',
  ...(token && { authorization: `Bearer ${token}` }),
});

/** Each answered id is read from its response, to check afterwards that it committed. */
const collectId = (into: number[], status: number) => (answer: number, body: string) => {
  if (answer === status) into.push(JSON.parse(body).id);
};

/** The service's steps, in the order they run; `answered` gathers what the writes report. */
export function serviceSteps(
  fixtures: Fixtures,
  answered: { created: number[]; completed: number[] },
  outboxDelivered?: () => Promise<void>,
) {
  const { staffToken, memberToken, memberApiToken, memberTaskIds, pendingIds, deepCursor, login } =
    fixtures;
  let read = 0;
  /** A different task of the member's each time, as the JWT read does. */
  const memberTask = (request: RequestSpec) => ({
    ...request,
    path: `/api/tasks/${memberTaskIds[read++ % memberTaskIds.length]}/`,
  });
  let next = 0;
  const page = '/api/tasks/?status=pending&limit=50';
  const steps: Step[] = [
    {
      key: 'task',
      label: 'GET /api/tasks/{id}/',
      connections: CONNECTIONS,
      requests: [{ method: 'GET', headers: json(memberToken), setupRequest: memberTask }],
    },
    {
      key: 'apitoken',
      label: 'GET /api/tasks/{id}/ with an API token',
      connections: CONNECTIONS,
      requests: [
        {
          method: 'GET',
          headers: { authorization: `Token ${memberApiToken}` },
          setupRequest: memberTask,
        },
      ],
    },
    {
      key: 'page',
      label: 'GET /api/tasks/?status=pending&limit=50',
      connections: CONNECTIONS,
      requests: [{ method: 'GET', path: page, headers: json(staffToken) }],
    },
    {
      key: 'projects',
      label: 'the same page for a member of 20 projects (50,000 tasks)',
      connections: CONNECTIONS,
      requests: [{ method: 'GET', path: page, headers: json(memberToken) }],
    },
    {
      key: 'deep',
      label: 'the same page 90% down (cursor)',
      connections: CONNECTIONS,
      requests: [
        {
          method: 'GET',
          path: `${page}&cursor=${encodeURIComponent(deepCursor)}`,
          headers: json(staffToken),
        },
      ],
    },
    {
      key: 'create',
      label: 'POST /api/tasks/',
      connections: CONNECTIONS,
      requests: [
        {
          method: 'POST',
          path: '/api/tasks/',
          headers: json(memberToken),
          body: JSON.stringify({
            title: 'Benchmark task',
            description: 'Written by npm run bench.',
          }),
          onResponse: collectId(answered.created, 201),
        },
      ],
    },
    {
      key: 'create-rich',
      label: 'POST /api/tasks/ with labels, a priority and a due date',
      connections: CONNECTIONS,
      requests: [
        {
          method: 'POST',
          path: '/api/tasks/',
          headers: json(memberToken),
          body: JSON.stringify({
            title: 'Benchmark task',
            description: 'Written by npm run bench.',
            due_at: '2031-06-01T17:00:00Z',
            priority: 'high',
            labels: ['bench', 'Writes', 'q3'],
          }),
          onResponse: collectId(answered.created, 201),
        },
      ],
    },
    {
      key: 'complete',
      label: 'PATCH /api/tasks/{id}/ completing it, every event delivered',
      connections: CONNECTIONS,
      requests: [
        {
          method: 'PATCH',
          headers: json(staffToken),
          body: JSON.stringify({ status: 'completed' }),
          // A different pending task each time, so that every request writes an outbox event.
          setupRequest: (request) => ({ ...request, path: `/api/tasks/${pendingIds[next++]}/` }),
          onResponse: collectId(answered.completed, 200),
        },
      ],
      // The dispatcher runs in the service, as in production: its claims, sends and marks are
      // part of what a completion costs.
      settle: outboxDelivered,
    },
  ];
  const token: Step = {
    key: 'token',
    label: 'POST /api/token/',
    connections: LOGIN_CONNECTIONS,
    requests: [
      { method: 'POST', path: '/api/token/', headers: json(), body: JSON.stringify(login) },
    ],
  };
  return { steps, token };
}
