// A minimal custom runtime (any executable that speaks the Runtime API can be one): it serves exactly one
// invocation, then lingers without asking for the next and exits. Used to check that an invocation handed
// to a warm environment that dies before taking it is retried on a fresh environment.
import { setTimeout as sleep } from 'node:timers/promises';

const base = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
const next = await fetch(`${base}/invocation/next`);
const requestId = next.headers.get('lambda-runtime-aws-request-id');
await next.arrayBuffer();
const reply = await fetch(`${base}/invocation/${encodeURIComponent(requestId)}/response`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ pid: process.pid }),
});
await reply.arrayBuffer();
await sleep(Number(process.env.LINGER_MS ?? 300));
process.exit(0);
