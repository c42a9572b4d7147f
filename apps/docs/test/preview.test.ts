/** `pnpm preview` serves the built site on loopback only (VitePress's own preview listened on every interface). */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveStatic } from '../scripts/lib/static-server';

test('the static server binds 127.0.0.1 and serves pages the way the site is linked', async () => {
  const root = mkdtempSync(join(tmpdir(), 'gp-site-'));
  try {
    mkdirSync(join(root, 'guide'));
    writeFileSync(join(root, 'guide', 'plugins.html'), '<h1>plugins</h1>');
    const server = await serveStatic(root);
    try {
      expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${server.origin}/guide/plugins`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('<h1>plugins</h1>');
    } finally {
      await server.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the preview script serves a built site on loopback and says where', async () => {
  const root = mkdtempSync(join(tmpdir(), 'gp-site-'));
  writeFileSync(join(root, 'index.html'), '<h1>home</h1>');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/preview.ts', '--port', '0', '--dir', root],
    {
      cwd: join(__dirname, '..'),
    },
  );
  try {
    const first = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(out);
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      child.on('exit', () => reject(new Error(`preview exited: ${out}`)));
    });
    const origin = /^Built site served at (http:\/\/127\.0\.0\.1:\d+)\/ \(loopback only/.exec(first)?.[1];
    expect(origin).toBeDefined();
    expect(await (await fetch(`${origin}/`)).text()).toBe('<h1>home</h1>');
  } finally {
    child.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
