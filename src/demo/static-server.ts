/**
 * Tiny HTTP server for the demo page and the end-to-end tests (Node only). It binds
 * 127.0.0.1, serves fixed routes, supports byte ranges so `<video>` can seek, and
 * sends no CORS headers, so a page on another port gets a tainted canvas.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A route's content: inline text or a file on disk. */
export type Route = { body: string; contentType: string } | { file: string; contentType: string };

export interface StaticServer {
  /** Origin such as `http://127.0.0.1:41234`. */
  origin: string;
  /** Adds or replaces a route, for tests that build pages after the server started. */
  setRoute(path: string, route: Route): void;
  close(): Promise<void>;
}

function sendFile(request: IncomingMessage, response: ServerResponse, file: string, contentType: string): void {
  const size = statSync(file).size;
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? '');
  if (range === null) {
    response.writeHead(200, { 'Content-Type': contentType, 'Content-Length': size, 'Accept-Ranges': 'bytes' });
    createReadStream(file).pipe(response);
    return;
  }
  const start = range[1] === '' ? Math.max(0, size - Number(range[2])) : Number(range[1]);
  const end = range[1] !== '' && range[2] !== '' ? Math.min(Number(range[2]), size - 1) : size - 1;
  if (start >= size || start > end) {
    response.writeHead(416, { 'Content-Range': `bytes */${size}` });
    response.end();
    return;
  }
  response.writeHead(206, {
    'Content-Type': contentType,
    'Content-Length': end - start + 1,
    'Content-Range': `bytes ${start}-${end}/${size}`,
    'Accept-Ranges': 'bytes',
  });
  createReadStream(file, { start, end }).pipe(response);
}

/** Starts a server on 127.0.0.1 at `port` (0 picks a free one). */
export async function startStaticServer(routes: Record<string, Route>, port = 0): Promise<StaticServer> {
  const table = new Map(Object.entries(routes));
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const route = table.get(path);
    if (route === undefined) {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end(`Not found: ${path}`);
      return;
    }
    if ('file' in route) {
      sendFile(request, response, route.file, route.contentType);
      return;
    }
    response.writeHead(200, { 'Content-Type': route.contentType });
    response.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${address.port}`,
    setRoute: (path, route) => table.set(path, route),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
