/**
 * `pnpm preview`: serves the built site (`dist/`, or `--dir <folder>`) on http://127.0.0.1:4173 (loopback
 * only; `--port N` picks another port, 0 any free one) until interrupted.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { docsRoot } from './lib/paths';
import { serveStatic } from './lib/static-server';

const option = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const dist = option('--dir') ?? join(docsRoot, 'dist');
if (!existsSync(join(dist, 'index.html'))) {
  process.stderr.write(`no built site in ${dist}: run \`pnpm --filter @graphon-pai/docs build\` first\n`);
  process.exit(2);
}
const port = Number(option('--port') ?? 4173);
if (!(Number.isInteger(port) && port >= 0 && port < 65536)) {
  process.stderr.write(`--port must be an integer in 0…65535 (0: any free port), got ${option('--port')}\n`);
  process.exit(2);
}
const server = await serveStatic(dist, port);
process.stdout.write(`Built site served at ${server.origin}/ (loopback only; Ctrl-C stops)\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void server.close().then(() => process.exit(0)));
