#!/usr/bin/env node
/**
 * Start-up cost of the built CLI: wall and CPU seconds (user + system, of the child process) per
 * invocation, for `--help`, every `<command> --help`, `plugins list` and a few small real commands.
 *
 *     node bench/startup.mjs [--runs 5] [--bin dist/bin.js] [--baseline other/bin.js] [--json bench/results.json]
 *
 * With `--baseline`, the two binaries run interleaved on the same cases (same machine load) and the table
 * gives the ratio ours / baseline. CPU is read from /proc/self/stat (cutime + cstime, 10 ms ticks): on a
 * shared machine it is a steadier measure than wall time. Medians over `--runs`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
};
const runs = Number(arg('--runs', '5'));
const bin = resolve(arg('--bin', join(here, '..', 'dist', 'bin.js')));
const baselineArg = arg('--baseline', undefined);
const baseline = baselineArg && resolve(baselineArg);
const jsonOut = arg('--json', undefined);

const COMMANDS = ['experiment', 'plugins', 'inspect', 'prune', 'cut', 'graphon', 'limit', 'bounds'];
// Run in order in one scratch directory: `prune` writes the mask that `inspect` and `graphon` read.
const CASES = [
  ['--help'],
  ...COMMANDS.map((c) => [c, '--help']),
  ['plugins', 'list'],
  ['prune', '--net', 'mlp:784-64-10', '--data', 'mnist', '--samples', '64', '--criterion', 'snip', '--density', '0.1', '--out', 'm.safetensors'],
  ['inspect', 'm.safetensors'],
  ['cut', 'const:0.1', 'const:0.3'],
  ['graphon', 'm.safetensors', '--layer', '0.weight', '--out', 'g', '--no-figure'],
  ['limit', '--density', '0.1', '--grid', '8', '--out', 'l', '--no-figure'],
  ['bounds', 'const:0.1', '--no-ntk'],
];

function childCpu() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / 100;
}

function once(binary, args, cwd) {
  const cpu0 = childCpu();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [binary, ...args], { cwd, encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  const cpu = childCpu() - cpu0;
  if (r.status !== 0) throw new Error(`${binary} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wall, cpu };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const bins = baseline ? { ours: bin, baseline } : { ours: bin };
const samples = Object.fromEntries(Object.keys(bins).map((k) => [k, CASES.map(() => ({ wall: [], cpu: [] }))]));
const nodeOnly = { wall: [], cpu: [] };
for (let run = 0; run < runs; run++) {
  for (const [name, binary] of Object.entries(bins)) {
    const cwd = mkdtempSync(join(os.tmpdir(), 'graphon-pai-startup-'));
    try {
      CASES.forEach((args, i) => {
        const { wall, cpu } = once(binary, args, cwd);
        samples[name][i].wall.push(wall);
        samples[name][i].cpu.push(cpu);
      });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }
  const cpu0 = childCpu();
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  nodeOnly.wall.push((performance.now() - t0) / 1000);
  nodeOnly.cpu.push(childCpu() - cpu0);
}

const rows = CASES.map((args, i) => {
  const row = { command: `graphon-pai ${args.join(' ')}` };
  for (const name of Object.keys(bins)) {
    row[name] = { wall: median(samples[name][i].wall), cpu: median(samples[name][i].cpu) };
  }
  if (baseline) {
    row.ratio = { wall: row.ours.wall / row.baseline.wall, cpu: row.ours.cpu / row.baseline.cpu };
  }
  return row;
});

const f = (x) => x.toFixed(2).padStart(6);
const head = baseline
  ? `${'command'.padEnd(60)}  ours wall/cpu   baseline wall/cpu   ratio cpu`
  : `${'command'.padEnd(60)}  wall    cpu`;
console.log(head);
for (const r of rows) {
  const c = r.command.length > 60 ? `${r.command.slice(0, 57)}...` : r.command.padEnd(60);
  console.log(
    baseline
      ? `${c}  ${f(r.ours.wall)} ${f(r.ours.cpu)}   ${f(r.baseline.wall)} ${f(r.baseline.cpu)}        ${f(r.ratio.cpu)}`
      : `${c}  ${f(r.ours.wall)} ${f(r.ours.cpu)}`,
  );
}
console.log(`${'node -e 0 (the floor)'.padEnd(60)}  ${f(median(nodeOnly.wall))} ${f(median(nodeOnly.cpu))}`);

if (jsonOut) {
  writeFileSync(
    jsonOut,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${os.platform()} ${os.release()}, Node ${process.version}; shared with other jobs (load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`,
        runs,
        unit: 'seconds; medians; cpu = user + system of the child process',
        node: { wall: median(nodeOnly.wall), cpu: median(nodeOnly.cpu) },
        results: rows,
      },
      null,
      2,
    )}\n`,
  );
}
