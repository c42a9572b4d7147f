/**
 * Where a command writes: human text or `--json` results on stdout, progress and diagnostics on stderr.
 * Tests pass their own sinks to {@link runCli}; the binary uses the process streams.
 */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is an interactive terminal (progress bars are drawn only then). */
  isTTY: boolean;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
};

/** Options every command accepts. */
export interface GlobalOptions {
  json?: boolean;
  seed?: number;
}

/** Prints `value` as JSON (with `--json`) or as the human text `human(value)`. */
export function emit<T>(io: CliIo, options: GlobalOptions, value: T, human: (value: T) => string): void {
  if (options.json) io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  else io.stdout(`${human(value)}\n`);
}
