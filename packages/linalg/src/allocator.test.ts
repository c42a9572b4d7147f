import { existsSync } from 'node:fs';
import { ALLOCATOR_ENV, tuneAllocator } from './allocator';

describe('allocator settings', () => {
  test('the recommended environment', () => {
    expect(ALLOCATOR_ENV).toEqual({
      MALLOC_MMAP_THRESHOLD_: '268435456',
      MALLOC_TRIM_THRESHOLD_: '1073741824',
    });
  });

  test('tuneAllocator applies mallopt on glibc with koffi, and is idempotent', () => {
    const glibc = process.platform === 'linux' && existsSync('/lib/x86_64-linux-gnu/libc.so.6');
    const first = tuneAllocator();
    if (glibc) expect(first).toBe(true);
    expect(tuneAllocator()).toBe(first);
    // Large allocations still work afterwards.
    const a = new Float64Array(1 << 20);
    a[a.length - 1] = 1;
    expect(a[a.length - 1]).toBe(1);
  });
});
