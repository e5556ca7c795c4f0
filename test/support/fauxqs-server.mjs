// An SQS-compatible server (fauxqs) for tests, run as its own process because fauxqs is
// published as ES modules only. Bound to the loopback address (its CLI binds 0.0.0.0) on
// an ephemeral port; prints {"endpoint": "..."} once listening. Queue URLs it hands out
// name the Host a request was sent to (127.0.0.1:<port>), so they resolve here.
import { buildApp } from 'fauxqs';

const app = buildApp({ logger: false });
const endpoint = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ endpoint })}\n`);
