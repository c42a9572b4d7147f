/**
 * Which Chromium the browser test drives, chosen at run time so that `npm test` needs nothing but Node and
 * npm:
 *
 * 1. `GRAPHON_PAI_CHROMIUM=<path>`: that executable, and nothing else;
 * 2. `GRAPHON_PAI_CHROMIUM=bundled`: the binary shipped inside the npm package `@sparticuz/chromium`
 *    (a dev dependency of the docs; unpacked once into the system temporary folder);
 * 3. unset: the system's `/usr/bin/chromium` (Debian's `chromium` package) when it is installed, else the
 *    bundled binary. `GRAPHON_PAI_SYSTEM_CHROMIUM` names another system path to look at first (set it to
 *    an empty string to ignore system browsers, as on a machine that has none).
 *
 * There is no "skip": when no browser can be found or started, the test fails with the reason and the fix.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

export interface ChosenBrowser {
  readonly executablePath: string;
  /** Where it came from, for the test log. */
  readonly origin: string;
}

const DEFAULT_SYSTEM_CHROMIUM = '/usr/bin/chromium';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Unpacks `@sparticuz/chromium`'s binary (an ES module without CommonJS build, so it runs in a child Node
 * process rather than in jest's module system) and returns its path.
 */
function bundledChromium(): string {
  try {
    const script =
      "import('@sparticuz/chromium').then((m) => m.default.executablePath()).then((p) => process.stdout.write(p))";
    return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(__dirname, '..'),
      encoding: 'utf8',
      timeout: 5 * 60_000,
    }).trim();
  } catch (error) {
    throw new Error(
      `no Chromium for the docs browser test: /usr/bin/chromium is not installed and the bundled binary of ` +
        `@sparticuz/chromium could not be unpacked (${(error as Error).message.split('\n')[0]}). Fix: run ` +
        '`pnpm install` (it installs @sparticuz/chromium with the docs), or install Chromium ' +
        '(`apt-get install chromium`), or point GRAPHON_PAI_CHROMIUM at a Chromium executable.',
    );
  }
}

/** The browser to launch, by the rules in the header. */
export function chooseChromium(env: NodeJS.ProcessEnv = process.env): ChosenBrowser {
  const forced = env.GRAPHON_PAI_CHROMIUM;
  if (forced === 'bundled')
    return { executablePath: bundledChromium(), origin: '@sparticuz/chromium (forced)' };
  if (forced) {
    if (!isExecutable(forced)) {
      throw new Error(
        `GRAPHON_PAI_CHROMIUM=${forced} is not an executable file. Fix: point it at a Chromium binary, set it ` +
          'to "bundled" for the one shipped in @sparticuz/chromium, or unset it.',
      );
    }
    return { executablePath: forced, origin: 'GRAPHON_PAI_CHROMIUM' };
  }
  const system = env.GRAPHON_PAI_SYSTEM_CHROMIUM ?? DEFAULT_SYSTEM_CHROMIUM;
  if (system && isExecutable(system)) return { executablePath: system, origin: `system (${system})` };
  return { executablePath: bundledChromium(), origin: '@sparticuz/chromium' };
}
