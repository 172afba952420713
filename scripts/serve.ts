/** A minimal static server for the built app (dist/), on 127.0.0.1 so WebGPU has a secure context. */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream',
  '.csv': 'text/csv; charset=utf-8',
};

export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The file under `root` that a request URL names (a folder gives its index.html); null when the
 * path leaves `root` (exact containment: `/x/dist-y` is not inside `/x/dist`), `'bad-request'` when
 * its percent-escapes cannot be decoded or it holds a NUL byte.
 */
export function fileFor(root: string, requestUrl: string): string | null | 'bad-request' {
  let path: string;
  try {
    path = decodeURIComponent(new URL(requestUrl, 'http://x').pathname);
  } catch {
    return 'bad-request';
  }
  if (path.includes('\0')) return 'bad-request';
  const file = resolve(join(root, path));
  const inside = relative(root, file);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return null;
  return existsSync(file) && statSync(file).isDirectory() ? join(file, 'index.html') : file;
}

/** Serves `dir` on 127.0.0.1 at `port` (0 picks a free one). */
export function serveStatic(dir: string, port = 0): Promise<StaticServer> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const file = fileFor(root, req.url ?? '/');
    if (file === 'bad-request') {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request: the path is not a valid percent-encoded URL path');
      return;
    }
    if (file === null) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    stream.pipe(res);
  });
  return new Promise((done) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address() as AddressInfo;
      done({ url: `http://127.0.0.1:${actual}/`, close: () => new Promise((c) => server.close(() => c())) });
    });
  });
}
