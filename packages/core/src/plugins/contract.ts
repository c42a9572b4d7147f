/**
 * The pruner plugin contract: what a third-party (or built-in) pruner provides.
 *
 * A plugin is a plain object: `meta` (name, version, namespace), `apiVersion` (must equal
 * {@link PLUGIN_API_VERSION} of the core it is registered into), and named maps of
 * - `criteria`: score producers (`score(ctx) → ScoreMap`, larger = more important), and
 * - `maskers`: mask producers that do not score (e.g. PHEW-style random walks).
 *
 * The context type `Ctx` (network, weights, data batches, current mask, seed, …) is defined by
 * `@graphon-pai/saliency`; core keeps it generic so the contract has no tensor dependency.
 * Ids are `namespace/id` (`acme/hessian-free`); namespace `graphon-pai` is the built-ins'.
 *
 * Conventions every criterion honours (checked by `@graphon-pai/testkit`): one score array per maskable layer,
 * same shape as the layer, finite values, deterministic for a given seed, inputs (weights, mask) not mutated,
 * no tensor leaks; `needsData: false` means it must work without data; `acceptsMask: true` means it uses
 * the current mask of an iterative schedule.
 *
 * @example
 * export default definePlugin({
 *   meta: { name: 'acme-pruners', version: '1.0.0', namespace: 'acme' },
 *   apiVersion: PLUGIN_API_VERSION,
 *   criteria: {
 *     'abs-sum': { description: '|w| summed over rows', needsData: false, acceptsMask: false, score: (ctx) => … },
 *   },
 * });
 */
import { PluginError } from '../errors';
import type { NetworkMask, ScoreMap } from '../layers';

/** Version of this contract. Bumped only for breaking changes; registries reject other versions. */
export const PLUGIN_API_VERSION = 1;

/** Namespace of the built-in criteria; their ids also resolve without the `graphon-pai/` prefix. */
export const BUILTIN_NAMESPACE = 'graphon-pai';

export interface PluginMeta {
  /** Package-like name, e.g. `graphon-pai-plugin-acme`. */
  readonly name: string;
  /** Semver of the plugin. */
  readonly version: string;
  /** Prefix of the plugin's ids: lower-case letters, digits, `-`, `_`, `.` (no `/`). */
  readonly namespace: string;
  readonly description?: string;
}

/** How a criterion is applied when the user does not say: once, or over rounds of an iterative schedule. */
export type ScheduleSpec =
  | { readonly kind: 'one-shot' }
  | { readonly kind: 'iterative'; readonly rounds: number; readonly shape: 'exponential' | 'linear' };

export interface CriterionSpec<Ctx = unknown> {
  readonly description: string;
  /** True when `score` needs data batches in the context (SNIP, GraSP); false for data-free (SynFlow). */
  readonly needsData: boolean;
  /** True when `score` uses the current mask of an iterative schedule (SynFlow); false when it ignores it. */
  readonly acceptsMask: boolean;
  readonly defaultSchedule?: ScheduleSpec;
  /** Scores of every maskable layer, larger = keep. Must not mutate the context. */
  score(ctx: Ctx): ScoreMap | Promise<ScoreMap>;
}

export interface MaskerSpec<Ctx = unknown> {
  readonly description: string;
  /** A mask of every maskable layer. Must not mutate the context. */
  mask(ctx: Ctx): NetworkMask | Promise<NetworkMask>;
}

export interface PrunerPlugin {
  readonly meta: PluginMeta;
  readonly apiVersion: number;
  // biome-ignore lint/suspicious/noExplicitAny: each criterion declares its own context type
  readonly criteria?: Readonly<Record<string, CriterionSpec<any>>>;
  // biome-ignore lint/suspicious/noExplicitAny: each masker declares its own context type
  readonly maskers?: Readonly<Record<string, MaskerSpec<any>>>;
}

const NAME_RE = /^[a-z0-9][a-z0-9._-]*$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Checks the shape of a plugin object and throws a {@link PluginError} naming the first missing or
 * malformed field. `source` (module name or path) is mentioned in messages. Does not check `apiVersion`
 * against this core (the registry does); it only checks that it is a positive integer.
 */
export function assertPluginShape(plugin: unknown, source?: string): asserts plugin is PrunerPlugin {
  const where = (what: string): string => {
    const name =
      isObject(plugin) && isObject(plugin.meta) && typeof plugin.meta.name === 'string'
        ? plugin.meta.name
        : undefined;
    const who = name ? `plugin ${JSON.stringify(name)}` : 'plugin';
    return `${who}${source ? ` (from ${source})` : ''}: ${what}`;
  };
  const fail = (what: string, fix: string): never => {
    throw new PluginError(where(what), { fix });
  };
  const DEFINE = 'create the plugin with definePlugin({ meta, apiVersion, criteria, maskers })';
  if (!isObject(plugin))
    fail(`expected a plugin object, got ${plugin === null ? 'null' : typeof plugin}`, DEFINE);
  const p = plugin as Record<string, unknown>;
  if (!isObject(p.meta)) fail('`meta` is missing; expected { name, version, namespace }', DEFINE);
  const meta = p.meta as Record<string, unknown>;
  for (const key of ['name', 'version', 'namespace'] as const) {
    if (typeof meta[key] !== 'string' || (meta[key] as string).length === 0) {
      fail(`\`meta.${key}\` is missing or not a non-empty string`, `set meta.${key}`);
    }
  }
  if (!NAME_RE.test(meta.namespace as string)) {
    fail(
      `\`meta.namespace\` ${JSON.stringify(meta.namespace)} is not a valid namespace`,
      'use lower-case letters, digits, "-", "_" or "." (no "/"), e.g. "acme"',
    );
  }
  if (meta.description !== undefined && typeof meta.description !== 'string') {
    fail('`meta.description` must be a string', 'remove it or make it a string');
  }
  if (!(typeof p.apiVersion === 'number' && Number.isInteger(p.apiVersion) && p.apiVersion > 0)) {
    fail(
      `\`apiVersion\` is ${p.apiVersion === undefined ? 'missing' : JSON.stringify(p.apiVersion)}`,
      `set apiVersion: PLUGIN_API_VERSION (${PLUGIN_API_VERSION} for this core)`,
    );
  }
  let count = 0;
  for (const group of ['criteria', 'maskers'] as const) {
    const map = p[group];
    if (map === undefined) continue;
    if (!isObject(map))
      fail(`\`${group}\` must be an object of id → spec`, `write ${group}: { 'my-id': { … } }`);
    for (const [id, spec] of Object.entries(map as Record<string, unknown>)) {
      count++;
      const at = `${group}[${JSON.stringify(id)}]`;
      if (!NAME_RE.test(id)) {
        fail(
          `${at}: id is not valid`,
          'use lower-case letters, digits, "-", "_" or "." (the namespace is added for you)',
        );
      }
      if (!isObject(spec))
        fail(
          `${at} must be an object`,
          `see the ${group === 'criteria' ? 'CriterionSpec' : 'MaskerSpec'} type`,
        );
      const s = spec as Record<string, unknown>;
      if (typeof s.description !== 'string')
        fail(`${at}.description is missing or not a string`, 'add a one-line description');
      if (group === 'criteria') {
        if (typeof s.needsData !== 'boolean')
          fail(`${at}.needsData is missing or not a boolean`, 'set needsData: true or false');
        if (typeof s.acceptsMask !== 'boolean') {
          fail(`${at}.acceptsMask is missing or not a boolean`, 'set acceptsMask: true or false');
        }
        if (typeof s.score !== 'function')
          fail(`${at}.score is missing or not a function`, 'add score(ctx) returning a ScoreMap');
        if (s.defaultSchedule !== undefined) checkSchedule(s.defaultSchedule, `${at}.defaultSchedule`, fail);
      } else if (typeof s.mask !== 'function') {
        fail(`${at}.mask is missing or not a function`, 'add mask(ctx) returning a NetworkMask');
      }
    }
  }
  if (count === 0)
    fail('declares no criteria and no maskers', 'add at least one entry to `criteria` or `maskers`');
}

function checkSchedule(value: unknown, at: string, fail: (what: string, fix: string) => never): void {
  const FIX = "use { kind: 'one-shot' } or { kind: 'iterative', rounds: 100, shape: 'exponential' }";
  if (!isObject(value)) fail(`${at} must be an object`, FIX);
  const v = value as Record<string, unknown>;
  if (v.kind === 'one-shot') return;
  if (v.kind !== 'iterative') fail(`${at}.kind is ${JSON.stringify(v.kind)}`, FIX);
  if (!(typeof v.rounds === 'number' && Number.isInteger(v.rounds) && v.rounds >= 1)) {
    fail(`${at}.rounds is ${JSON.stringify(v.rounds)}; expected a positive integer`, FIX);
  }
  if (v.shape !== 'exponential' && v.shape !== 'linear')
    fail(`${at}.shape is ${JSON.stringify(v.shape)}`, FIX);
}

/**
 * Declares a plugin: checks its shape now (so an author sees mistakes at definition time, not at load
 * time) and returns it unchanged, typed. Also rejects an `apiVersion` other than this core's.
 */
export function definePlugin<P extends PrunerPlugin>(plugin: P): P {
  assertPluginShape(plugin);
  if (plugin.apiVersion !== PLUGIN_API_VERSION) throw apiVersionError(plugin);
  return plugin;
}

/** The error for a plugin built against another contract version. */
export function apiVersionError(plugin: PrunerPlugin, source?: string): PluginError {
  const newer = plugin.apiVersion > PLUGIN_API_VERSION;
  return new PluginError(
    `plugin ${JSON.stringify(plugin.meta.name)}${source ? ` (from ${source})` : ''} targets plugin API version ${plugin.apiVersion}, but this @graphon-pai/core implements version ${PLUGIN_API_VERSION}`,
    {
      fix: newer
        ? 'upgrade @graphon-pai/core (and the CLI) to a release that implements that API version'
        : `upgrade the plugin to a release built for API version ${PLUGIN_API_VERSION}`,
    },
  );
}
