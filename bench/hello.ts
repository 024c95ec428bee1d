// The framework's ceiling on this machine: Hono on @hono/node-server answering a constant, in as
// many processes (WORKERS) as the service runs, so the ratio compares like with like.
import cluster from 'node:cluster';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const workers = Number(process.env.WORKERS ?? 1);
if (workers > 1 && cluster.isPrimary) for (let i = 0; i < workers; i++) cluster.fork();
else
  serve({
    fetch: new Hono().get('/hello', (c) => c.text('Hello, World!')).fetch,
    port: Number(process.env.PORT),
  });
