import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticServer } from './serve';

/** GET a raw request target (not normalised by a URL parser), as a hostile client would send it. */
function get(server: StaticServer, target: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((done, fail) => {
    const req = request({ hostname, port, path: target, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('serveStatic', () => {
  let parent: string;
  let server: StaticServer;
  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'serve-'));
    mkdirSync(join(parent, 'dist'));
    mkdirSync(join(parent, 'dist-x'));
    writeFileSync(join(parent, 'dist', 'index.html'), '<p>app</p>');
    writeFileSync(join(parent, 'dist', '..notes.txt'), 'inside');
    writeFileSync(join(parent, 'dist-x', 'secret.txt'), 'sibling secret');
    writeFileSync(join(parent, 'outside.txt'), 'parent secret');
    server = await serveStatic(join(parent, 'dist'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('serves files inside its folder, and a folder as its index.html', async () => {
    expect(await get(server, '/')).toEqual({ status: 200, body: '<p>app</p>' });
    expect((await get(server, '/..notes.txt')).body).toBe('inside');
  });

  it('answers 400 to a bad percent-escape and stays up', async () => {
    for (const target of ['/%', '/%E0%A4%A', '/a%zz', '/%00']) expect((await get(server, target)).status, target).toBe(400);
    expect((await get(server, '/')).status).toBe(200);
  });

  it.each([
    ['a sibling folder whose name starts with the root name', '/../dist-x/secret.txt'],
    ['an encoded sibling path', '/%2e%2e/dist-x/secret.txt'],
    ['the parent folder', '/%2e%2e/outside.txt'],
    ['a sibling folder through an encoded slash', '/..%2fdist-x/secret.txt'],
    ['the parent folder through an encoded slash', '/..%2foutside.txt'],
  ])('does not serve %s', async (_what, target) => {
    const { status, body } = await get(server, target);
    expect([403, 404]).toContain(status);
    expect(body).not.toMatch(/secret/);
  });
});
