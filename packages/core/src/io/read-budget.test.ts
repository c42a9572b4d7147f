import fc from 'fast-check';
import { FormatError, UnsupportedError } from '../errors';
import { countTopLevelKeys } from './json-keys';
import { readMaskFile } from './mask-file';
import { decodeNpy, encodeNpy } from './npy';
import {
  DEFAULT_MAX_READ_BYTES,
  DEFAULT_MAX_TENSORS,
  impliedTensorBytes,
  resolveBudget,
} from './read-budget';
import { decodeSafetensors, encodeSafetensorsHeader, readSafetensors } from './safetensors';

/** A safetensors payload whose header is `header` (a JSON text) and whose data are `data`. */
function payload(header: string, data = new Uint8Array(0)): Uint8Array {
  const text = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

/** Runs `f`, returning what it threw and how long it took. */
function timed(f: () => unknown): { error: unknown; ms: number } {
  const t0 = performance.now();
  try {
    f();
    return { error: undefined, ms: performance.now() - t0 };
  } catch (error) {
    return { error, ms: performance.now() - t0 };
  }
}

describe('read budgets', () => {
  it('implied memory: decoded elements plus 8 bytes per index (F16 decodes to 4 bytes)', () => {
    expect(impliedTensorBytes('F32', [3, 5])).toBe(15 * 4 + 8 * 8);
    expect(impliedTensorBytes('F16', [2, 2])).toBe(4 * 4 + 8 * 4);
    expect(impliedTensorBytes('BOOL', [0, 1e9])).toBe(8e9);
    expect(impliedTensorBytes('F64', [])).toBe(8);
  });

  it('a 160-byte file declaring a [0, 1e9] BOOL tensor is refused at once (UnsupportedError naming the budget)', () => {
    const bytes = payload(
      JSON.stringify({
        __metadata__: { format: 'graphon-pai/mask' },
        m: { dtype: 'BOOL', shape: [0, 1e9], data_offsets: [0, 0] },
      }),
    );
    expect(bytes.length).toBeLessThan(200);
    for (const read of [
      () => decodeSafetensors(bytes),
      () => readSafetensors(bytes),
      () => readMaskFile(bytes),
    ]) {
      const { error, ms } = timed(read);
      expect(error).toBeInstanceOf(UnsupportedError);
      expect((error as Error).message).toMatch(
        /implies 7\.45 GiB in memory, above the read budget of 2\.00 GiB/,
      );
      expect(ms).toBeLessThan(50);
    }
  });

  it('zero-size tensors within the budget decode in O(1)', () => {
    const bytes = payload(JSON.stringify({ z: { dtype: 'F32', shape: [0, 1000], data_offsets: [0, 0] } }));
    const { tensors } = readSafetensors(bytes);
    expect(tensors.get('z')).toEqual({ dtype: 'F32', shape: [0, 1000], data: new Float32Array(0) });
  });

  it('a header with more entries than maxTensors is refused before it is parsed', () => {
    const layout = Array.from(
      { length: 70_000 },
      (_, i) => [`l${i}`, { dtype: 'BOOL' as const, shape: [1, 1] }] as const,
    );
    const header = encodeSafetensorsHeader(layout);
    const bytes = new Uint8Array(header.length + 70_000);
    bytes.set(header);
    const { error, ms } = timed(() => decodeSafetensors(bytes));
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as Error).message).toMatch(/70000 entries, above the limit of 65536/);
    expect(ms).toBeLessThan(500);
    expect(decodeSafetensors(bytes, 'x', { maxTensors: 70_000 }).tensors.size).toBe(70_000);
  });

  it('the budget is overridable per call and by environment variable', () => {
    const npy = encodeNpy({ dtype: 'F64', shape: [1, 1000], data: new Float64Array(1000) });
    expect(decodeNpy(npy).shape).toEqual([1, 1000]);
    expect(() => decodeNpy(npy, 'x.npy', { maxBytes: 8000 })).toThrow(
      /x\.npy: the array \(<f8, shape \(1, 1000\)\) implies/,
    );
    const saved = process.env.GRAPHON_PAI_MAX_READ_BYTES;
    try {
      process.env.GRAPHON_PAI_MAX_READ_BYTES = '8000';
      expect(resolveBudget()).toEqual({ maxBytes: 8000, maxTensors: DEFAULT_MAX_TENSORS });
      expect(() => decodeNpy(npy)).toThrow(UnsupportedError);
      process.env.GRAPHON_PAI_MAX_READ_BYTES = 'lots';
      expect(() => decodeNpy(npy)).toThrow(/GRAPHON_PAI_MAX_READ_BYTES/);
    } finally {
      if (saved === undefined) delete process.env.GRAPHON_PAI_MAX_READ_BYTES;
      else process.env.GRAPHON_PAI_MAX_READ_BYTES = saved;
    }
    expect(resolveBudget().maxBytes).toBe(DEFAULT_MAX_READ_BYTES);
  });

  it('deeply nested header values are clean FormatErrors, never stack overflows', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    for (const key of ['data_offsets', 'shape', 'dtype']) {
      const entry = { dtype: 'F32', shape: [1], data_offsets: [0, 4] } as Record<string, unknown>;
      const text = JSON.stringify({ t: { ...entry, [key]: '@' } }).replace('"@"', deep);
      const { error } = timed(() => decodeSafetensors(payload(text, new Uint8Array(4))));
      expect(error).toBeInstanceOf(FormatError);
    }
    const npyHeader = `{'descr': '<f8', 'fortran_order': False, 'shape': ${'('.repeat(5000)}${')'.repeat(5000)}, }`;
    const npy = new Uint8Array(12 + npyHeader.length);
    npy.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
    new DataView(npy.buffer).setUint32(8, npyHeader.length, true);
    npy.set(new TextEncoder().encode(npyHeader), 12);
    const { error } = timed(() => decodeNpy(npy));
    expect(error).toBeInstanceOf(FormatError);
    expect((error as Error).message).toMatch(/nesting too deep/);
  });

  it('countTopLevelKeys equals the number of keys JSON.parse finds (property test)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), fc.nat(2), (object, indent) => {
        const text = JSON.stringify(object, null, indent);
        expect(countTopLevelKeys(text)).toBe(Object.keys(JSON.parse(text)).length);
      }),
      { seed: 18, numRuns: 300 },
    );
  });
});
