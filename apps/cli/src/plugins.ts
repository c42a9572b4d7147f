/**
 * Loading third-party pruner plugins by module name or path.
 *
 * Sources, in order: `graphon-pai.config.json` in the working directory (or the file given with `--config`):
 * `{ "plugins": ["acme-pruner", "./local-plugin.mjs"] }` (paths relative to the config file), then every
 * `--plugin <module or path>` (relative to the working directory). A config file is read only by the commands
 * that use criteria (`prune`, `experiment`, `plugins list`), and says so on stderr; `--plugin` is loaded by
 * every command, as asked. A module name resolves like `require` from the working directory (so a plugin
 * installed in the user's project is found). The plugin's own imports of `@graphon-pai/*` and
 * `@tensorflow/tfjs-core` get the CLI's copies (`plugin-host.ts`: plugins declare them as peer dependencies).
 * The module's default export or named `plugin` export is validated (`validatePluginModule`) and registered
 * in core's registry next to the built-ins, its criteria and maskers run under core's `guardPlugin` (errors,
 * hangs and timeouts reported by plugin name; after a timeout the process ends a few seconds after the report
 * if the stopped plugin's leftover work would keep it alive). Every failure is a `PluginError` naming the module and the
 * fix (exit code 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DEFAULT_PLUGIN_TIMEOUT_SECONDS,
  FormatError,
  guardPlugin,
  PluginError,
  type PrunerPlugin,
  registry,
  validatePluginModule,
} from '@graphon-pai/core';
import { registerBuiltins } from './builtins';
import { provideHostPackages } from './plugin-host';

export const CONFIG_FILE = 'graphon-pai.config.json';

export interface PluginSource {
  /** As written by the user. */
  spec: string;
  /** Directory relative paths are resolved against. */
  base: string;
}

/** Reads the `plugins` list of a config file; a missing default config is not an error. */
function configPlugins(configPath: string | undefined, cwd: string): PluginSource[] {
  const file = resolve(cwd, configPath ?? CONFIG_FILE);
  if (!existsSync(file)) {
    if (configPath !== undefined) {
      throw new FormatError('config file not found', { source: file, fix: `create it or drop --config` });
    }
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FormatError(`not valid JSON (${(error as Error).message})`, {
      source: file,
      fix: 'write a JSON object such as { "plugins": ["acme-pruner"] }',
    });
  }
  const plugins = (parsed as { plugins?: unknown }).plugins;
  if (plugins === undefined) return [];
  if (!Array.isArray(plugins) || !plugins.every((p) => typeof p === 'string')) {
    throw new FormatError('"plugins" must be an array of module names or paths', {
      source: file,
      fix: 'write e.g. "plugins": ["acme-pruner", "./my-plugin.mjs"]',
    });
  }
  return plugins.map((spec) => ({ spec, base: dirname(file) }));
}

function isPath(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec);
}

/** The commands that look criteria or maskers up; only these read a config file. */
export const COMMANDS_USING_CRITERIA: readonly string[] = ['prune', 'experiment', 'plugins list'];

let timeoutSeconds = DEFAULT_PLUGIN_TIMEOUT_SECONDS;
/** One guarded copy per plugin object, so a module loaded twice is still one registration. */
const guarded = new WeakMap<PrunerPlugin, PrunerPlugin>();

/** After a plugin timeout: a few seconds to report it, then the process ends if the plugin keeps it alive. */
function exitSoonIfKeptAlive(): void {
  setTimeout(() => process.exit(process.exitCode ?? 2), 3000).unref();
}

/** Imports, validates and registers one plugin. */
async function loadPlugin(source: PluginSource): Promise<string[]> {
  const { spec, base } = source;
  let url: string;
  try {
    const resolved = isPath(spec) ? resolve(base, spec) : createRequire(join(base, 'noop.js')).resolve(spec);
    url = pathToFileURL(resolved).href;
  } catch (error) {
    throw new PluginError(`cannot find plugin module ${JSON.stringify(spec)} from ${base}`, {
      fix: isPath(spec) ? 'check the path' : `install it in this project (npm i ${spec}) or pass a path`,
      cause: error,
    });
  }
  provideHostPackages();
  let mod: unknown;
  try {
    mod = await import(url);
  } catch (error) {
    throw new PluginError(
      `plugin module ${JSON.stringify(spec)} failed to load: ${(error as Error).message}`,
      {
        fix: 'fix the error in the plugin module, or remove it from --plugin / graphon-pai.config.json',
        cause: error,
      },
    );
  }
  const plugin = validatePluginModule(mod, spec);
  let safe = guarded.get(plugin);
  if (safe === undefined) {
    safe = guardPlugin(plugin, {
      source: spec,
      timeoutSeconds: () => timeoutSeconds,
      onTimeout: exitSoonIfKeptAlive,
      timeoutFix:
        'raise the limit with --plugin-timeout <seconds> if it is just slow; otherwise report it to the plugin author',
      errorFix:
        'this is an error in the plugin, not in graphon-pai: report it to the plugin author (rerun with --debug for its stack)',
    });
    guarded.set(plugin, safe);
  }
  registry.register(safe, { source: spec });
  return (
    registry
      .listPlugins()
      .find((p) => p.plugin === safe)
      ?.ids.slice() ?? []
  );
}

export interface LoadPluginsOptions {
  plugin?: string[];
  config?: string;
  /** `--plugin-timeout`: seconds one call of a plugin's criterion or masker may take. */
  pluginTimeout?: number;
}

/**
 * Registers every configured plugin, after the built-in criteria. `command` is the command being run
 * (`prune`, `plugins list`, …): a config file is read only for {@link COMMANDS_USING_CRITERIA}, and
 * announced through `announce` (stderr). Without plugins nothing is loaded here: the commands that look
 * criteria up register the built-ins themselves (`registerBuiltins`), so start-up does not pay for
 * `@graphon-pai/saliency` and tfjs.
 */
export async function loadAllPlugins(
  options: LoadPluginsOptions,
  cwd = process.cwd(),
  context: { command?: string; announce?: (line: string) => void } = {},
) {
  if (options.pluginTimeout !== undefined) timeoutSeconds = options.pluginTimeout;
  const usesCriteria = context.command === undefined || COMMANDS_USING_CRITERIA.includes(context.command);
  const fromConfig = usesCriteria ? configPlugins(options.config, cwd) : [];
  if (fromConfig.length > 0) {
    const file = resolve(cwd, options.config ?? CONFIG_FILE);
    context.announce?.(
      `graphon-pai: loading plugins from ${file}: ${fromConfig.map((p) => p.spec).join(', ')}\n`,
    );
  }
  const sources = [...fromConfig, ...(options.plugin ?? []).map((spec) => ({ spec, base: cwd }))];
  if (sources.length > 0) await registerBuiltins();
  for (const source of sources) await loadPlugin(source);
}
