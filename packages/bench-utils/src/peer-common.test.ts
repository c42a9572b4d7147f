import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPython } from './peer';

const hasNumpy = (() => {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const PEER_COMMON = join(__dirname, '..', 'python');

(hasNumpy ? describe : describe.skip)('python/peer_common.py', () => {
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
