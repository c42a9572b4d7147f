import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, peerEnv, readArrayNpy, runPython, timedRuns, WARMUP_MS, writeArrayNpy } from './index';

describe('median', () => {
  it('odd and even counts, unsorted input left alone', () => {
    const xs = [3, 1, 2];
    expect(median(xs)).toBe(2);
    expect(xs).toEqual([3, 1, 2]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/empty/);
  });
});

describe('timedRuns', () => {
  it('times reps calls after at least warmupCalls calls and WARMUP_MS of warm-up; none without warm-up', () => {
    let calls = 0;
    const count = () => {
      calls++;
    };
    expect(timedRuns(count, 5, 0)).toHaveLength(5);
    expect(calls).toBe(5);
    calls = 0;
    const start = performance.now();
    const runs = timedRuns(count, 3, 4);
    expect(performance.now() - start).toBeGreaterThanOrEqual(WARMUP_MS);
    expect(runs).toHaveLength(3);
    expect(runs.every((t) => t >= 0)).toBe(true);
    expect(calls).toBeGreaterThan(4 + 3);
  });
});

describe('.npy arrays and the peer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-utils-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips every array type through the file', () => {
    for (const data of [
      Float64Array.of(1.5, -2, 1e-300),
      Float32Array.of(0.25, 3),
      Int32Array.of(-7, 8),
      Uint8Array.of(0, 255),
    ]) {
      const path = join(dir, `${data.constructor.name}.npy`);
      writeArrayNpy(path, data, [data.length]);
      expect(Array.from(readArrayNpy(path))).toEqual(Array.from(data));
    }
  });

  it('the peer environment drops the OpenBLAS overrides only', () => {
    const saved = { ...process.env };
    process.env.OPENBLAS_CORETYPE = 'Haswell';
    process.env.OPENBLAS_L2_SIZE = '1048576';
    process.env.OPENBLAS_THREAD_TIMEOUT = '20';
    const env = peerEnv({ EXTRA: '1' });
    for (const key of ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OPENBLAS_THREAD_TIMEOUT']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    expect(env.OPENBLAS_CORETYPE).toBeUndefined();
    expect(env.OPENBLAS_L2_SIZE).toBeUndefined();
    expect(env.OPENBLAS_THREAD_TIMEOUT).toBeUndefined();
    expect(env.EXTRA).toBe('1');
    expect(env.PATH).toBe(process.env.PATH);
  });

  it('numpy reads the shape and values written (2 × 3 float64)', () => {
    const path = join(dir, 'm.npy');
    writeArrayNpy(path, Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
    const script = join(dir, 'peer.py');
    writeFileSync(
      script,
      'import sys, json, numpy as np\na = np.load(sys.argv[1])\nprint(json.dumps({"shape": a.shape, "col": a[:, 1].tolist()}))\n',
    );
    expect(JSON.parse(runPython(script, [path]))).toEqual({ shape: [2, 3], col: [2, 5] });
  });

  it('reads what numpy writes (float32 3 × 2, C order)', () => {
    const path = join(dir, 'from-numpy.npy');
    const script = join(dir, 'save.py');
    writeFileSync(
      script,
      'import sys, numpy as np\nnp.save(sys.argv[1], np.arange(6, dtype=np.float32).reshape(3, 2) / 4)\n',
    );
    runPython(script, [path]);
    expect(Array.from(readArrayNpy(path))).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
  });
});

const PEER_COMMON = join(__dirname, '..', 'python');

describe('python/peer_common.py', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peer-common-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('timed: reps runs in ms with their median; the warm-up calls at least once and for WARMUP_S', () => {
    const script = join(dir, 'check.py');
    writeFileSync(
      script,
      [
        'import json, sys, time',
        `sys.path.insert(0, ${JSON.stringify(PEER_COMMON)})`,
        'import peer_common',
        'from peer_common import threadpool_report, timed',
        'peer_common.WARMUP_S = 0.05',
        'calls = [0]',
        'def fn():',
        '    calls[0] += 1',
        '    time.sleep(0.002)',
        'cold = timed(fn, 3, warmup=False)',
        'cold_calls = calls[0]',
        't = time.perf_counter()',
        'warm = timed(fn, 4)',
        'print(json.dumps({"cold": cold, "coldCalls": cold_calls, "warm": warm, "warmCalls": calls[0] - cold_calls,',
        '                  "warmS": time.perf_counter() - t, "threadpool": threadpool_report()}))',
      ].join('\n'),
    );
    const r = JSON.parse(runPython(script));
    expect(r.coldCalls).toBe(3);
    expect(r.cold.runs).toHaveLength(3);
    expect(r.cold.median_ms).toBe([...r.cold.runs].sort((a: number, b: number) => a - b)[1]);
    for (const ms of r.cold.runs) expect(ms).toBeGreaterThanOrEqual(2);
    expect(r.warm.runs).toHaveLength(4);
    // 0.05 s of 2 ms calls: at least ~25 warm-up calls before the 4 timed ones.
    expect(r.warmCalls).toBeGreaterThanOrEqual(4 + 20);
    expect(r.warmS).toBeGreaterThanOrEqual(0.05);
    expect(Array.isArray(r.threadpool) || typeof r.threadpool === 'string').toBe(true);
  });
});
