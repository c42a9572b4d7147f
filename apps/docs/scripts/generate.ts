/**
 * Generates everything the site takes from the code at build time, then VitePress builds the pages:
 *   - CLI how-tos with real output (`src/cli/`), from the CLI run from source;
 *   - the API reference from TSDoc (`src/api/`), with typedoc;
 *   - benchmark pages from each package's `bench/results.json` (`src/benchmarks/`);
 *   - figures (`src/public/figures/*.svg`) and interactive figure specs (`src/public/data/`);
 *   - the playground's script, Web Worker and shipped MNIST digits (`src/public/playground/`);
 *   - the generated part of the navigation (`.vitepress/generated/sidebar.json`).
 * Any failure here is a broken build: nothing is replaced by a placeholder.
 */
import { join } from 'node:path';
import { generateApi } from './lib/api';
import { generateBenchmarks } from './lib/benchmarks';
import { generateCliPages } from './lib/cli';
import { generateFigures } from './lib/figures';
import { cpuSeconds, freshDir, generatedDir, log, writeText } from './lib/paths';
import { generatePlayground } from './lib/playground';

async function main(): Promise<void> {
  const t0 = Date.now();
  freshDir(generatedDir);
  const timed = async <T>(what: string, step: () => T | Promise<T>): Promise<T> => {
    const t = Date.now();
    const c = cpuSeconds();
    const result = await step();
    log(`${what}: ${((Date.now() - t) / 1000).toFixed(1)} s (CPU ${(cpuSeconds() - c).toFixed(1)} s)`);
    return result;
  };
  const figures = await timed('figures', generateFigures);
  const cli = await timed('CLI pages', generateCliPages);
  const bench = await timed('benchmarks', generateBenchmarks);
  const api = await timed('API reference', generateApi);
  const playground = await timed('playground', () => generatePlayground());
  writeText(
    join(generatedDir, 'sidebar.json'),
    JSON.stringify({ cli: cli.sidebar, api: api.sidebar, benchmarks: bench.sidebar }, null, 2),
  );
  writeText(
    join(generatedDir, 'manifest.json'),
    JSON.stringify(
      {
        cliCommands: cli.commands,
        apiPackages: api.packages,
        benchmarks: bench.packages,
        figures: figures.figures,
        playground,
      },
      null,
      2,
    ),
  );
  log(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s (CPU ${cpuSeconds().toFixed(1)} s)`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[docs] generation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
