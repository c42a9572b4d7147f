/**
 * Progress on stderr for work that takes more than a second: a redrawn bar on a terminal, one line per
 * step otherwise (logs of batch jobs stay readable). Never writes to stdout, so `--json` output stays clean.
 */
import type { CliIo } from './io';

export class Progress {
  private done = 0;
  private readonly started = performance.now();

  constructor(
    private readonly io: CliIo,
    private readonly total: number,
    private readonly label: string,
  ) {}

  tick(detail: string): void {
    this.done++;
    const seconds = ((performance.now() - this.started) / 1000).toFixed(0);
    if (this.io.isTTY) {
      const width = 24;
      const filled = Math.round((width * this.done) / this.total);
      this.io.stderr(
        `\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} ${seconds}s ${detail}\u001b[K`,
      );
      if (this.done === this.total) this.io.stderr('\n');
    } else {
      this.io.stderr(`${this.label} ${this.done}/${this.total} (${seconds}s) ${detail}\n`);
    }
  }
}
