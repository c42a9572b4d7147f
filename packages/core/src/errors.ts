/**
 * The error hierarchy of graphon-pai.
 *
 * Every error thrown on purpose by a graphon-pai package is a {@link GraphonPaiError} with a stable
 * machine-readable `code` (part of the public API: never renamed, only added to). Messages name the
 * argument or input, the bad value and the fix, e.g.
 *
 *     density must be a number in (0, 1] (the kept fraction); got 1.5. Fix: pass the kept fraction, e.g. 0.1 for 90 % sparsity.
 *
 * The CLI maps every {@link GraphonPaiError} to exit code 2 (the input or request has to change: a bad argument, a
 * malformed file, a missing provider, a broken plugin, a singular kernel that needs an explicit ridge) and any
 * other exception to exit code 1 (an internal error, a bug to report).
 */

/** Stable codes; see the subclasses. */
export type ErrorCode = 'E_INVALID_ARGUMENT' | 'E_UNSUPPORTED' | 'E_FORMAT' | 'E_NUMERICAL' | 'E_PLUGIN';

export interface ErrorOptions {
  /** What the user should change. Appended to the message as "Fix: …". */
  fix?: string;
  cause?: unknown;
}

/** Base class: `code` is stable, `fix` (when known) says what to change. */
export class GraphonPaiError extends Error {
  readonly code: ErrorCode;
  readonly fix: string | undefined;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(options.fix ? `${message}. Fix: ${options.fix}` : message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.fix = options.fix;
  }
}

/** Renders a value for an error message without dumping large arrays. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  if (Array.isArray(value)) return value.length <= 8 ? JSON.stringify(value) : `array of length ${value.length}`;
  return Object.prototype.toString.call(value);
}

/** A public function or command received an argument it cannot use. */
export class InvalidArgumentError extends GraphonPaiError {
  readonly argument: string;

  /**
   * @param argument the parameter or option name, as the user wrote it (`density`, `--widths`, `layers[2]`)
   * @param got the value received
   * @param expected what a valid value looks like ("a number in (0, 1]")
   */
  constructor(argument: string, got: unknown, expected: string, options: ErrorOptions = {}) {
    super('E_INVALID_ARGUMENT', `${argument} must be ${expected}; got ${describeValue(got)}`, options);
    this.argument = argument;
  }
}

/** A valid request this build or machine cannot serve (a missing provider, an unsupported dtype). */
export class UnsupportedError extends GraphonPaiError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_UNSUPPORTED', message, options);
  }
}

/** A file or serialized payload is malformed, truncated, hostile or of the wrong kind. */
export class FormatError extends GraphonPaiError {
  readonly source: string | undefined;

  constructor(message: string, options: ErrorOptions & { source?: string } = {}) {
    super('E_FORMAT', options.source ? `${options.source}: ${message}` : message, options);
    this.source = options.source;
  }
}

/** A numerical method failed: loss of positive definiteness, non-finite values, no convergence. */
export class NumericalError extends GraphonPaiError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_NUMERICAL', message, options);
  }
}

/** A plugin failed to load, has the wrong shape, clashes with a registered id or targets another API version. */
export class PluginError extends GraphonPaiError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('E_PLUGIN', message, options);
  }
}

/** True for errors that the user can act on (CLI exit code 2) rather than internal failures (exit code 1). */
export function isUserError(error: unknown): error is GraphonPaiError {
  return error instanceof GraphonPaiError;
}
