/**
 * Read budgets: the memory a file implies is computed from its header and refused beyond a limit
 * **before** anything proportional to it is allocated or iterated, so a 160-byte file cannot cost
 * gigabytes or minutes.
 *
 * A tensor of shape [n₁, …, n_k] whose decoded elements take `s` bytes (F16/BF16 decode to 4-byte floats,
 * see `./dtype`) implies
 *
 *     bytes(tensor) = s · n₁ ⋯ n_k  +  8 · (n₁ + … + n_k)
 *
 * The second term is the per-index bookkeeping every consumer allocates (row and column degrees,
 * permutations, block cuts): it makes a zero-size `[0, 1e9]` tensor cost what its use costs (8 GB), not
 * zero. A file implies the sum over its tensors (×2 for `.npy` arrays stored in Fortran order, which are
 * transposed into a copy), and may hold at most `maxTensors` header entries.
 *
 * Limits (overridable per call with a {@link ReadBudget}, or for a whole process — e.g. the CLI — with the
 * environment variables `GRAPHON_PAI_MAX_READ_BYTES` and `GRAPHON_PAI_MAX_TENSORS`):
 *
 * - `maxBytes`: {@link DEFAULT_MAX_READ_BYTES} = 2 GiB;
 * - `maxTensors`: {@link DEFAULT_MAX_TENSORS} = 65,536 (networks have hundreds of layers; checked before
 *   the header is parsed, by an iterative scan).
 *
 * Refusals are {@link UnsupportedError}s (a valid file this process will not read) naming the file, the
 * implied size and how to raise the limit.
 *
 * @example
 * readNpy('huge.npy', { budget: { maxBytes: 16 * 2 ** 30 } }); // allow up to 16 GiB for this call
 */
import { InvalidArgumentError, UnsupportedError } from '../errors';
import { type DType, dtypeInfo } from './dtype';

/** Default largest memory a file read may imply: 2 GiB. */
export const DEFAULT_MAX_READ_BYTES = 2 ** 31;

/** Default largest number of tensors (header entries) in one file. */
export const DEFAULT_MAX_TENSORS = 65_536;

/** Limits of one read (unset fields: the environment variables, then the defaults). */
export interface ReadBudget {
  /** Largest implied memory in bytes. */
  readonly maxBytes?: number;
  /** Largest number of tensors in one file. */
  readonly maxTensors?: number;
}

function fromEnvironment(name: string, fallback: number): number {
  const raw = typeof process === 'undefined' ? undefined : process.env?.[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new InvalidArgumentError(name, raw, 'a positive integer (environment variable)', {
      fix: `e.g. ${name}=${fallback}, or unset it for the default`,
    });
  }
  return value;
}

function positive(value: number | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!(typeof value === 'number' && value > 0 && !Number.isNaN(value))) {
    throw new InvalidArgumentError(what, value, 'a positive number');
  }
  return value;
}

/** The limits in force for `budget`. */
export function resolveBudget(budget: ReadBudget = {}): Required<ReadBudget> {
  return {
    maxBytes:
      positive(budget.maxBytes, 'budget.maxBytes') ??
      fromEnvironment('GRAPHON_PAI_MAX_READ_BYTES', DEFAULT_MAX_READ_BYTES),
    maxTensors:
      positive(budget.maxTensors, 'budget.maxTensors') ??
      fromEnvironment('GRAPHON_PAI_MAX_TENSORS', DEFAULT_MAX_TENSORS),
  };
}

/** Bytes of one decoded element of `dtype` (F16/BF16 decode to float32). */
export function decodedItemSize(dtype: DType): number {
  return dtype === 'F16' || dtype === 'BF16' ? 4 : dtypeInfo(dtype).itemSize;
}

/** The memory a tensor implies (see the file header); shapes are validated non-negative integers. */
export function impliedTensorBytes(dtype: DType, shape: readonly number[]): number {
  let elements = 1;
  let indices = 0;
  for (const n of shape) {
    elements *= n;
    indices += n;
  }
  return elements * decodedItemSize(dtype) + 8 * indices;
}

function formatBytes(bytes: number): string {
  if (bytes < 2 ** 20) return `${Math.ceil(bytes)} bytes`;
  if (bytes < 2 ** 30) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${(bytes / 2 ** 30).toPrecision(3)} GiB`;
}

/** Throws when `bytes` (the memory `what` in `source` implies) exceeds the budget. */
export function checkReadBytes(bytes: number, what: string, source: string, budget?: ReadBudget): void {
  const { maxBytes } = resolveBudget(budget);
  if (bytes <= maxBytes) return;
  throw new UnsupportedError(
    `${source}: ${what} implies ${formatBytes(bytes)} in memory, above the read budget of ${formatBytes(maxBytes)}`,
    {
      fix: 'check the file (a huge or hostile shape?); to read it anyway set GRAPHON_PAI_MAX_READ_BYTES (bytes) or pass { budget: { maxBytes } }',
    },
  );
}

/** Throws when a file holds more than `maxTensors` tensors. */
export function checkTensorCount(count: number, source: string, budget?: ReadBudget): void {
  const { maxTensors } = resolveBudget(budget);
  if (count <= maxTensors) return;
  throw new UnsupportedError(
    `${source}: the header holds ${count} entries, above the limit of ${maxTensors} tensors per file`,
    {
      fix: 'check the file; to read it anyway set GRAPHON_PAI_MAX_TENSORS or pass { budget: { maxTensors } }',
    },
  );
}
