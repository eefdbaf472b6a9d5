// The floor: a bare Node.js HTTP server doing the benchmark handlers' byte work itself, with no Lambda between
// it and the client. Whatever the emulator and a runtime add shows up against it. Started by bench/ with no
// argument; prints {"url": ...} when listening and exits when its stdin closes.
import { once } from 'node:events';
import http from 'node:http';

const server = http.createServer({ noDelay: true }, async (request, response) => {
  const url = new URL(request.url ?? '/', 'http://floor');
  const query = Object.fromEntries(url.searchParams);
  if (url.pathname === '/ttfb') {
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    response.write(`T${process.hrtime.bigint()}\n`);
    await new Promise((resolve) => setTimeout(resolve, Number(query.hold ?? 10)));
    response.end('end\n');
  } else if (url.pathname === '/stream') {
    const total = Number(query.bytes);
    const size = Number(query.chunk);
    const buffer = Buffer.alloc(size, 'x');
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    for (let sent = 0; sent < total; sent += size) {
      const piece = total - sent < size ? buffer.subarray(0, total - sent) : buffer;
      if (!response.write(piece)) await once(response, 'drain');
    }
    response.end();
  } else if (url.pathname === '/tiny') {
    request.resume();
    await once(request, 'end');
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('"ok"');
  } else {
    response.writeHead(404).end();
  }
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.stdin.on('data', () => {});
process.stdin.on('end', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
