import fc from 'fast-check';
import { BitMatrix, popcount } from './bit-matrix';
import { InvalidArgumentError } from './errors';
import { Rng } from './rng';

/** Dense reference: rows × cols 0/1 array with density p from a seeded stream. */
function randomDense(rows: number, cols: number, p: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const d = new Uint8Array(rows * cols);
  for (let i = 0; i < d.length; i++) d[i] = rng.uniform() < p ? 1 : 0;
  return d;
}

const shapeArb = fc.record({
  rows: fc.integer({ min: 0, max: 70 }),
  cols: fc.integer({ min: 0, max: 100 }),
  p: fc.double({ min: 0, max: 1, noNaN: true }),
  seed: fc.integer(),
});

describe('BitMatrix against a dense reference', () => {
  it('degrees, nnz, iteration and dense round trip agree on random shapes (incl. non-multiples of 32)', () => {
    fc.assert(
      fc.property(shapeArb, ({ rows, cols, p, seed }) => {
        const dense = randomDense(rows, cols, p, seed);
        const m = BitMatrix.fromDense(rows, cols, dense);
        const rowDeg = new Uint32Array(rows);
        const colDeg = new Uint32Array(cols);
        const expectedEntries: [number, number][] = [];
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            if (dense[r * cols + c]) {
              rowDeg[r]++;
              colDeg[c]++;
              expectedEntries.push([r, c]);
            }
          }
        }
        let wrongGets = 0;
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) if (m.get(r, c) !== (dense[r * cols + c] === 1)) wrongGets++;
        }
        expect(wrongGets).toBe(0);
        expect(m.nnz()).toBe(expectedEntries.length);
        expect(m.rowDegrees()).toEqual(rowDeg);
        expect(m.colDegrees()).toEqual(colDeg);
        expect(Array.from(m.entries())).toEqual(expectedEntries);
        const visited: [number, number][] = [];
        m.forEachSet((r, c) => visited.push([r, c]));
        expect(visited).toEqual(expectedEntries);
        expect(m.toDense()).toEqual(dense);
        const t = m.transpose();
        for (const [r, c] of expectedEntries) expect(t.get(c, r)).toBe(true);
        expect(t.nnz()).toBe(m.nnz());
        expect(t.transpose().equals(m)).toBe(true);
        for (let r = 0; r < rows; r++) {
          expect(Array.from(m.rowIndices(r))).toEqual(
            expectedEntries.filter((e) => e[0] === r).map((e) => e[1]),
          );
        }
        const { rowPtr, colIdx } = m.toCsr();
        expect(colIdx).toBeInstanceOf(Uint16Array);
        expect(Array.from(rowPtr)).toEqual([
          0,
          ...Array.from(rowDeg).map((_, r) => rowDeg.slice(0, r + 1).reduce((s, d) => s + d, 0)),
        ]);
        expect(Array.from(colIdx)).toEqual(expectedEntries.map((e) => e[1]));
      }),
      { numRuns: 100 },
    );
  });

  it('CSR of a wide mask uses Uint32 column indices', () => {
    const m = new BitMatrix(2, 70000);
    m.set(0, 69999);
    m.set(1, 3);
    m.set(1, 65536);
    const { rowPtr, colIdx } = m.toCsr();
    expect(colIdx).toBeInstanceOf(Uint32Array);
    expect(Array.from(rowPtr)).toEqual([0, 1, 3]);
    expect(Array.from(colIdx)).toEqual([69999, 3, 65536]);
  });

  it('set and clear single entries, keeping padding bits zero', () => {
    const m = new BitMatrix(3, 33);
    m.set(2, 32);
    m.set(0, 0);
    m.set(0, 31);
    expect(m.nnz()).toBe(3);
    m.set(0, 31, false);
    expect(m.get(0, 31)).toBe(false);
    expect(m.nnz()).toBe(2);
    expect(m.wordsPerRow).toBe(2);
    expect(m.words[2 * 2 + 1]).toBe(1);
  });

  it('and / isSubsetOf / equals / clone', () => {
    const a = BitMatrix.fromDense(2, 3, [1, 1, 0, 0, 1, 1]);
    const b = BitMatrix.fromDense(2, 3, [1, 0, 0, 0, 1, 0]);
    expect(a.and(b).equals(b)).toBe(true);
    expect(b.isSubsetOf(a)).toBe(true);
    expect(a.isSubsetOf(b)).toBe(false);
    const c = a.clone();
    c.set(0, 2);
    expect(c.equals(a)).toBe(false);
    expect(a.equals(new BitMatrix(3, 2))).toBe(false);
    expect(a.density()).toBeCloseTo(4 / 6, 15);
  });

  it('a 16384 × 16384 mask occupies 32 MiB', () => {
    const m = new BitMatrix(16384, 16384);
    expect(m.words.byteLength).toBe(32 * 1024 * 1024);
  });

  it('popcount counts bits of every byte pattern', () => {
    for (let x = 0; x < 256; x++) {
      const expected = x.toString(2).split('1').length - 1;
      expect(popcount(x)).toBe(expected);
      expect(popcount((x << 24) | x)).toBe(2 * expected);
    }
    expect(popcount(0xffffffff)).toBe(32);
  });

  it('rejects bad shapes and mismatched operands with typed errors', () => {
    expect(() => new BitMatrix(-1, 3)).toThrow(InvalidArgumentError);
    expect(() => new BitMatrix(2.5, 3)).toThrow(/rows must be a non-negative integer/);
    expect(() => BitMatrix.fromDense(2, 2, [1, 0, 1])).toThrow(/length rows · cols = 4/);
    expect(() => new BitMatrix(2, 40, new Uint32Array(3))).toThrow(InvalidArgumentError);
    expect(() => new BitMatrix(2, 2).and(new BitMatrix(2, 3))).toThrow(InvalidArgumentError);
  });
});
