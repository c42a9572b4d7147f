/**
 * The round trip of "Masks to and from PyTorch": a `torch.nn.utils.prune` state_dict goes through
 * `graphon-pai inspect` and `graphon-pai prune --weights`, and the mask comes back to PyTorch through the
 * page's code (`src/snippets/pytorch_round_trip.py apply`) when torch is importable; otherwise the page's
 * numpy check (`… check`) verifies both files' headers (names, shapes, BOOL 0/1). Without torch, the pruned
 * state_dict is the numpy-written fixture of @graphon-pai/core (the layout prune + safetensors write).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
// The CLI's own test helpers: the CLI run in process with captured output, temporary folders, its fixtures.
import { argv, cli, pruneStateDictFixtures, tempFolder } from '../../cli/test/helpers';

const script = join(__dirname, '..', 'src', 'snippets', 'pytorch_round_trip.py');
const fixture = join(pruneStateDictFixtures, 'mlp.safetensors');
const python = (...args: string[]) => spawnSync('python3', [script, ...args], { encoding: 'utf8' });
const hasTorch = spawnSync('python3', ['-c', 'import torch, safetensors'], { encoding: 'utf8' }).status === 0;

const dir = tempFolder('gp-pytorch-');

test(`pruned state_dict → graphon-pai → custom_from_mask (${hasTorch ? 'torch' : 'numpy format check'})`, async () => {
  const pruned = join(dir, 'pruned.safetensors');
  if (hasTorch) {
    const saved = python('save', pruned);
    expect(saved.stderr).toBe('');
    expect(saved.status).toBe(0);
  } else copyFileSync(fixture, pruned);

  const inspected = await cli('inspect', pruned, '--json');
  expect(inspected.stderr).toBe('');
  expect(inspected.code).toBe(0);
  expect(inspected.stdout).toMatch(/"0\.weight"/);

  const mask = join(dir, 'mask.safetensors');
  const pruneRun = await cli(
    ...argv`prune --weights ${pruned} --criterion magnitude --density 0.3 --out ${mask}`,
  );
  expect(pruneRun.stderr).not.toMatch(/error/);
  expect(pruneRun.code).toBe(0);

  const back = hasTorch ? python('apply', pruned, mask) : python('check', pruned, mask);
  expect(back.stderr).toBe('');
  expect(back.status).toBe(0);
  expect(back.stdout).toMatch(
    hasTorch ? /^applied 2 masks/ : /^format ok: 0\.weight \[5, 6\], 2\.weight \[3, 5\]/,
  );
});
