import { BitMatrix, type NetworkMask, Rng } from '@graphon-pai/core';
import fc from 'fast-check';
import { maskStatistics } from './statistics';

/** A random chain: input units, then per layer (rows, group g, density); cols = g · units before. */
const netArb = fc
  .record({
    inputs: fc.integer({ min: 1, max: 4 }),
    layers: fc.array(
      fc.record({
        rows: fc.integer({ min: 1, max: 4 }),
        group: fc.integer({ min: 1, max: 2 }),
        p: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    seed: fc.integer(),
  })
  .map(({ inputs, layers, seed }) => {
    const rng = new Rng(seed);
    const mask: NetworkMask = new Map();
    let prev = inputs;
    const groups: number[] = [];
    layers.forEach((l, i) => {
      const g = i === 0 ? 1 : l.group;
      groups.push(g);
      mask.set(
        `l${i}`,
        BitMatrix.from(l.rows, prev * g, () => rng.bernoulli(l.p)),
      );
      prev = l.rows;
    });
    return { mask, inputs, groups };
  });

/** Brute force: enumerate every input→output path edge by edge. */
function bruteForce(mask: NetworkMask, inputs: number, groups: number[]) {
  const layers = [...mask.values()];
  const L = layers.length;
  let paths = 0;
  const nodes = layers.map(() => new Set<number>());
  const inputNodes = new Set<number>();
  const edges = layers.map(() => new Set<string>());
  const walk = (l: number, unit: number, trail: [number, number][], start: number) => {
    if (l === L) {
      paths++;
      inputNodes.add(start);
      trail.forEach(([j, c], i) => {
        nodes[i].add(j);
        edges[i].add(`${j},${c}`);
      });
      return;
    }
    const m = layers[l];
    const g = groups[l];
    for (let j = 0; j < m.rows; j++) {
      for (let c = unit * g; c < (unit + 1) * g; c++)
        if (m.get(j, c)) walk(l + 1, j, [...trail, [j, c]], start);
    }
  };
  for (let u = 0; u < inputs; u++) walk(0, u, [], u);
  return {
    paths,
    nodesPerLevel: [inputNodes.size, ...nodes.map((s) => s.size)],
    params: edges.map((s) => s.size),
  };
}

describe('maskStatistics vs brute-force enumeration', () => {
  it('effective paths, nodes and parameters match on small random chains (dense and grouped columns)', () => {
    fc.assert(
      fc.property(netArb, ({ mask, inputs, groups }) => {
        const ref = bruteForce(mask, inputs, groups);
        const s = maskStatistics(mask, { onCollapse: 'ignore', inputUnits: inputs });
        const net = s.network!;
        expect(net).not.toBeNull();
        if (ref.paths === 0) {
          expect(net.collapsed).toBe(true);
          expect(net.effectivePaths).toBe(0);
          expect(net.logEffectivePaths).toBe(-Infinity);
        } else {
          expect(net.collapsed).toBe(false);
          expect(Math.abs(net.effectivePaths - ref.paths)).toBeLessThanOrEqual(1e-9 * ref.paths);
          expect(Math.abs(net.logEffectivePaths - Math.log(ref.paths))).toBeLessThan(1e-12);
        }
        expect(net.effectiveNodesPerLevel).toEqual(ref.nodesPerLevel);
        expect(s.layers.map((l) => l.effectiveParams)).toEqual(ref.params);
        expect(net.effectiveParams).toBe(ref.params.reduce((a, b) => a + b, 0));
        expect(net.effectiveNodes).toBe(ref.nodesPerLevel.slice(1, -1).reduce((a, b) => a + b, 0));
      }),
      { numRuns: 400 },
    );
  });

  it('counts paths in the log domain without overflow for deep nets', () => {
    const mask: NetworkMask = new Map();
    for (let l = 0; l < 1000; l++)
      mask.set(
        `l${l}`,
        BitMatrix.from(3, 3, () => true),
      );
    const s = maskStatistics(mask).network!;
    // 1ᵀ J^1000 1 = 3 · 3^1000 for the 3 × 3 all-ones J.
    expect(s.logEffectivePaths).toBeCloseTo(1001 * Math.log(3), 9);
    expect(s.effectivePaths).toBe(Infinity);
  });

  it('per-layer degrees, empty rows/cols and dead hidden neurons', () => {
    // 3 inputs → 3 hidden → 2 outputs. Hidden 2 has no incoming edge; hidden 1 has no outgoing edge.
    const l0 = BitMatrix.fromDense(3, 3, [1, 1, 0, 0, 1, 0, 0, 0, 0]);
    const l1 = BitMatrix.fromDense(2, 3, [1, 0, 1, 1, 0, 0]);
    const s = maskStatistics(
      new Map([
        ['l0', l0],
        ['l1', l1],
      ]),
    );
    expect(s.kept).toBe(6);
    expect(s.total).toBe(15);
    expect(s.density).toBeCloseTo(6 / 15, 15);
    expect(s.layers[0].rowDegrees).toEqual({ min: 0, max: 2, mean: 1, std: Math.sqrt(2 / 3), zeros: 1 });
    expect(s.layers[0].emptyCols).toBe(1);
    expect(s.layers[1].emptyCols).toBe(1);
    expect(s.network!.noIncoming).toEqual([1]);
    expect(s.network!.noOutgoing).toEqual([1]);
    // Paths: inputs 0,1 → hidden 0 → outputs 0, 1: 2 · 2 = 4; hidden 2's edge to output 0 is not effective.
    expect(s.network!.effectivePaths).toBe(4);
    expect(s.network!.effectiveNodesPerLevel).toEqual([2, 1, 2]);
    expect(s.network!.effectiveParams).toBe(4);
  });
});

describe('layer collapse', () => {
  const collapsed: NetworkMask = new Map([
    ['fc1', BitMatrix.from(4, 4, () => true)],
    ['fc2', new BitMatrix(4, 4)],
    ['fc3', BitMatrix.from(2, 4, () => true)],
  ]);
  it('is an error by default, naming the layer', () => {
    expect(() => maskStatistics(collapsed)).toThrow(/mask\['fc2'\].*layer collapse/);
  });
  it('warns on request and reports it', () => {
    const seen: string[] = [];
    const s = maskStatistics(collapsed, { onCollapse: 'warn', onWarning: (m) => seen.push(m) });
    expect(seen).toHaveLength(1);
    expect(s.warnings).toEqual(seen);
    expect(s.network!.collapsed).toBe(true);
    expect(s.network!.collapsedAt).toBe('fc2');
    expect(s.network!.effectiveParams).toBe(0);
  });
});

describe('shapes that do not chain', () => {
  it('give per-layer statistics and the reason', () => {
    const s = maskStatistics(
      new Map([
        ['a', new BitMatrix(3, 4)],
        ['b', new BitMatrix(2, 5)],
      ]),
      { onCollapse: 'ignore' },
    );
    expect(s.network).toBeNull();
    expect(s.notChainReason).toMatch(/layer 'b' has 5 columns/);
    expect(s.layers[1].effectiveParams).toBeNull();
  });
  it('reject empty masks and bad options', () => {
    expect(() => maskStatistics(new Map())).toThrow(/non-empty NetworkMask/);
    expect(() =>
      maskStatistics(new Map([['a', new BitMatrix(1, 1)]]), { onCollapse: 'maybe' as never }),
    ).toThrow(/onCollapse/);
  });
});
