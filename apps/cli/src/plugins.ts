/**
 * Loading third-party pruner plugins by module name or path.
 *
 * Sources, in order: `graphon-pai.config.json` in the working directory (or the file given with `--config`):
 * `{ "plugins": ["acme-pruner", "./local-plugin.mjs"] }` (paths relative to the config file), then every
 * `--plugin <module or path>` (relative to the working directory). A module name resolves like `require`
 * from the working directory (so a plugin installed in the user's project is found); the module's default
 * export or named `plugin` export is validated (`validatePluginModule`) and registered in core's registry
 * next to the built-ins. Every failure is a `PluginError` naming the module and the fix (exit code 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FormatError, PluginError, registry, validatePluginModule } from '@graphon-pai/core';
import { registerBuiltins } from './builtins';

export const CONFIG_FILE = 'graphon-pai.config.json';

export interface PluginSource {
  /** As written by the user. */
  spec: string;
  /** Directory relative paths are resolved against. */
  base: string;
}

/** Reads the `plugins` list of a config file; a missing default config is not an error. */
export function configPlugins(configPath: string | undefined, cwd: string): PluginSource[] {
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

/** Imports, validates and registers one plugin. */
export async function loadPlugin(source: PluginSource): Promise<string[]> {
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
  let mod: unknown;
  try {
    mod = await import(url);
  } catch (error) {
    throw new PluginError(`plugin module ${JSON.stringify(spec)} failed to load: ${(error as Error).message}`, {
      fix: 'fix the error in the plugin module, or remove it from --plugin / graphon-pai.config.json',
      cause: error,
    });
  }
  const plugin = validatePluginModule(mod, spec);
  registry.register(plugin, { source: spec });
  return registry.listPlugins().find((p) => p.plugin === plugin)?.ids.slice() ?? [];
}

/**
 * Registers every configured plugin, after the built-in criteria. Without plugins nothing is loaded here:
 * the commands that look criteria up register the built-ins themselves (`registerBuiltins`), so start-up
 * does not pay for `@graphon-pai/saliency` and tfjs.
 */
export async function loadAllPlugins(options: { plugin?: string[]; config?: string }, cwd = process.cwd()) {
  const sources = [
    ...configPlugins(options.config, cwd),
    ...(options.plugin ?? []).map((spec) => ({ spec, base: cwd })),
  ];
  if (sources.length > 0) await registerBuiltins();
  for (const source of sources) await loadPlugin(source);
}
