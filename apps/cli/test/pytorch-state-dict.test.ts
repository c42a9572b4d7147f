/**
 * A `torch.nn.utils.prune` state_dict (X_orig weights + float X_mask buffers; `pruneStateDictFixtures`)
 * inspects, graphs, cuts and prunes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { argv, cli, pruneStateDictFixtures, runBin, tempFolder } from './helpers';

const fixtures = pruneStateDictFixtures;
const pruned = join(fixtures, 'mlp.safetensors');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));
const kept = (name: string) => (expected.mlp[name].mask as number[]).reduce((a, b) => a + b, 0);

const dir = tempFolder('gp-state-dict-');

test('inspect reads the masks, named like the weights', async () => {
  const r = await cli('inspect', pruned, '--json');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('"0.weight"');
  expect(r.stdout).not.toContain('weight_mask');
  expect(r.stdout).toContain(`"kept": ${kept('0.weight')}`);
});

test('graphon and cut run on a layer of it', async () => {
  // graphon renders figures with vega (ES modules only): run the real binary.
  const g = runBin(['graphon', pruned, '--layer', '0.weight', '--out', join(dir, 'g')], dir);
  expect(g.stderr).toBe('');
  expect(g.status).toBe(0);
  const c = await cli('cut', pruned, pruned, '--layer', '2.weight', '--json');
  expect(c.code).toBe(0);
  expect(c.stdout).toMatch(/"upperBound": 0\b/);
});

test('prune --weights scores its unpruned (X_orig) weights', async () => {
  const r = await cli(
    ...argv`prune --weights ${pruned} --criterion magnitude --density 0.5
    --out ${join(dir, 'm.safetensors')} --json`,
  );
  expect(r.stderr).not.toMatch(/error/);
  expect(r.code).toBe(0);
});
