/**
 * The plugin registry: where criteria and maskers are found by id.
 *
 * Ids are `namespace/id`. Built-ins (namespace `graphon-pai`) also resolve by bare id (`snip` →
 * `graphon-pai/snip`). Criterion and masker ids share one id space. Registration is all-or-nothing: a
 * plugin whose shape, API version or ids are wrong adds nothing. Registering the very same plugin object
 * twice is a no-op (module graphs that load a registration module twice stay safe); a *different* plugin
 * with a clashing name or id is a {@link PluginError}.
 *
 * `registry` is the process-wide default instance, shared even when several copies of this module are
 * loaded (ESM and CJS builds): it lives on `globalThis` under a versioned symbol.
 *
 * @example
 * registry.register(myPlugin);
 * const snip = registry.criterion('snip');        // graphon-pai/snip
 * const scores = await snip.spec.score(ctx);
 * registry.list().map((e) => e.id);               // ['acme/hessian-free', 'graphon-pai/magnitude', …]
 */
import { PluginError } from '../errors';
import { closestName } from './closest-name';
import {
  apiVersionError,
  assertPluginShape,
  BUILTIN_NAMESPACE,
  type CriterionSpec,
  type MaskerSpec,
  PLUGIN_API_VERSION,
  type PluginMeta,
  type PrunerPlugin,
} from './contract';

/** What the registry records of every criterion and masker. */
interface RegisteredId {
  /** Full id, `namespace/id`. */
  readonly id: string;
  /** The id inside its plugin. */
  readonly localId: string;
  readonly plugin: PluginMeta;
}

export interface RegisteredCriterion<Ctx = unknown> extends RegisteredId {
  readonly kind: 'criterion';
  readonly spec: CriterionSpec<Ctx>;
}

export interface RegisteredMasker<Ctx = unknown> extends RegisteredId {
  readonly kind: 'masker';
  readonly spec: MaskerSpec<Ctx>;
}

export type RegistryEntry = RegisteredCriterion | RegisteredMasker;

/** A registered plugin and where it came from. */
export interface RegisteredPlugin {
  readonly plugin: PrunerPlugin;
  /** Module name or path given at registration (`--plugin` argument), when known. */
  readonly source: string | undefined;
  /** Full ids it provides. */
  readonly ids: readonly string[];
}

export interface RegisterOptions {
  /** Module name or path the plugin was loaded from; used in error messages and listings. */
  source?: string;
}

export class PluginRegistry {
  private readonly entries = new Map<string, RegistryEntry>();
  private readonly plugins = new Map<string, RegisteredPlugin>();

  /** Validates and adds a plugin's criteria and maskers. */
  register(plugin: PrunerPlugin, options: RegisterOptions = {}): void {
    const { source } = options;
    assertPluginShape(plugin, source);
    if (plugin.apiVersion !== PLUGIN_API_VERSION) throw apiVersionError(plugin, source);
    const existing = this.plugins.get(plugin.meta.name);
    if (existing) {
      if (existing.plugin === plugin) return;
      throw new PluginError(
        `a plugin named ${JSON.stringify(plugin.meta.name)} is already registered (version ${existing.plugin.meta.version}${
          existing.source ? ` from ${existing.source}` : ''
        }); cannot register version ${plugin.meta.version}${source ? ` from ${source}` : ''}`,
        { fix: 'load only one copy of the plugin (check --plugin and graphon-pai.config.json)' },
      );
    }
    const added: RegistryEntry[] = [];
    const meta = plugin.meta;
    const add = (entry: RegistryEntry): void => {
      const clash = this.entries.get(entry.id) ?? added.find((e) => e.id === entry.id);
      if (clash) {
        throw new PluginError(
          `${entry.kind} id ${JSON.stringify(entry.id)} of plugin ${JSON.stringify(meta.name)}${
            source ? ` (from ${source})` : ''
          } is already registered as a ${clash.kind} by plugin ${JSON.stringify(clash.plugin.name)}`,
          { fix: 'give the plugin its own namespace, or rename the id' },
        );
      }
      added.push(entry);
    };
    for (const [localId, spec] of Object.entries(plugin.criteria ?? {})) {
      add({ kind: 'criterion', id: `${meta.namespace}/${localId}`, localId, plugin: meta, spec });
    }
    for (const [localId, spec] of Object.entries(plugin.maskers ?? {})) {
      add({ kind: 'masker', id: `${meta.namespace}/${localId}`, localId, plugin: meta, spec });
    }
    for (const e of added) this.entries.set(e.id, e);
    this.plugins.set(meta.name, { plugin, source, ids: added.map((e) => e.id) });
  }

  /** Removes a plugin (by `meta.name`) and its ids; returns whether it was registered. */
  unregister(name: string): boolean {
    const p = this.plugins.get(name);
    if (!p) return false;
    for (const id of p.ids) this.entries.delete(id);
    this.plugins.delete(name);
    return true;
  }

  /** The criterion with this id (`namespace/id`, or a bare built-in id). */
  // biome-ignore lint/suspicious/noExplicitAny: callers state the context type they pass
  criterion<Ctx = any>(id: string): RegisteredCriterion<Ctx> {
    return this.lookup(id, 'criterion') as RegisteredCriterion<Ctx>;
  }

  /** The masker with this id (`namespace/id`, or a bare built-in id). */
  // biome-ignore lint/suspicious/noExplicitAny: callers state the context type they pass
  masker<Ctx = any>(id: string): RegisteredMasker<Ctx> {
    return this.lookup(id, 'masker') as RegisteredMasker<Ctx>;
  }

  /** True when `id` names a registered criterion or masker. */
  has(id: string): boolean {
    return this.resolve(id) !== undefined;
  }

  /** Every criterion and masker (optionally of one kind), sorted by id. */
  list(kind?: 'criterion' | 'masker'): RegistryEntry[] {
    return [...this.entries.values()]
      .filter((e) => kind === undefined || e.kind === kind)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Registered plugins in registration order. */
  listPlugins(): RegisteredPlugin[] {
    return [...this.plugins.values()];
  }

  private resolve(id: string): RegistryEntry | undefined {
    if (typeof id !== 'string') return undefined;
    return this.entries.get(id.includes('/') ? id : `${BUILTIN_NAMESPACE}/${id}`);
  }

  private lookup(id: string, kind: 'criterion' | 'masker'): RegistryEntry {
    const e = this.resolve(id);
    if (e && e.kind === kind) return e;
    if (e) {
      throw new PluginError(`${JSON.stringify(id)} is a ${e.kind}, not a ${kind}`, {
        fix:
          kind === 'criterion'
            ? `pass the id of a criterion (\`graphon-pai plugins list\` shows each id's kind); a masker is looked up with registry.masker(${JSON.stringify(id)})`
            : `pass the id of a masker; a criterion is looked up with registry.criterion(${JSON.stringify(id)}) (e.g. \`graphon-pai prune --criterion\`)`,
      });
    }
    const available = this.list(kind);
    const names = available.map((a) => a.id);
    // Candidates include bare built-in ids and local ids, mapped back to the full id to suggest.
    const byName = new Map<string, string>();
    for (const a of available) {
      byName.set(a.id, a.id);
      if (!byName.has(a.localId))
        byName.set(a.localId, a.plugin.namespace === BUILTIN_NAMESPACE ? a.localId : a.id);
    }
    const query = String(id);
    const near =
      closestName(query, byName.keys()) ?? closestName(query.split('/').pop() ?? query, byName.keys());
    const suggestion = near !== undefined ? ` Did you mean ${JSON.stringify(byName.get(near))}?` : '';
    throw new PluginError(
      `unknown ${kind} ${JSON.stringify(query)}.${suggestion} Available: ${names.length > 0 ? names.join(', ') : '(none registered)'}`,
      {
        fix:
          names.length > 0
            ? `use one of the available ids, or load the plugin that provides it with --plugin <module>`
            : `register a plugin first (built-ins come with @graphon-pai/saliency; others with --plugin <module>)`,
      },
    );
  }
}

const GLOBAL_KEY = Symbol.for(`@graphon-pai/core/plugin-registry/v${PLUGIN_API_VERSION}`);

/** The process-wide default registry. */
export const registry: PluginRegistry = (() => {
  const g = globalThis as unknown as Record<symbol, PluginRegistry | undefined>;
  const existing = g[GLOBAL_KEY];
  if (existing) return existing;
  const created = new PluginRegistry();
  g[GLOBAL_KEY] = created;
  return created;
})();

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';

/**
 * Extracts and validates the plugin exported by a loaded module (`await import(spec)`): its default
 * export, or a named export `plugin`. Handles CommonJS modules seen through ESM interop (`default.default`,
 * `default.plugin`). Throws a {@link PluginError} naming `source` when no valid plugin is found.
 *
 * @example
 * const plugin = validatePluginModule(await import(spec), spec);
 * registry.register(plugin, { source: spec });
 */
export function validatePluginModule(mod: unknown, source: string): PrunerPlugin {
  const looksLikePlugin = (v: unknown): boolean => isObject(v) && ('meta' in v || 'apiVersion' in v);
  const candidates: unknown[] = [];
  if (isObject(mod)) {
    const d = mod.default;
    candidates.push(d, mod.plugin);
    if (isObject(d)) candidates.push(d.default, d.plugin);
    candidates.push(mod);
  }
  const found = candidates.find(looksLikePlugin);
  if (found === undefined) {
    const keys = isObject(mod) ? Object.keys(mod).filter((k) => k !== '__esModule') : [];
    throw new PluginError(
      `module ${JSON.stringify(source)} exports no plugin (found ${keys.length > 0 ? `exports: ${keys.join(', ')}` : 'no exports'})`,
      { fix: 'export the plugin as the default export or as `export const plugin = definePlugin({ … })`' },
    );
  }
  assertPluginShape(found, source);
  if (found.apiVersion !== PLUGIN_API_VERSION) throw apiVersionError(found, source);
  return found;
}
