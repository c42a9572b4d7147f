/**
 * Jest entry points of the conformance suite: one `describe` per criterion / masker / plugin, one `it`
 * per requirement, so a failing plugin shows exactly which rule it breaks.
 *
 * @example
 * // my-plugin.test.ts
 * import { describePluginConformance } from '@graphon-pai/testkit';
 * import plugin from '../src';
 * describePluginConformance(plugin);
 *
 * @example
 * // one criterion, with options and the built-ins' stricter "pruned weights score 0" rule
 * describeCriterionConformance('acme/hessian-free', plugin.criteria['hessian-free'], { prunedScoreZero: true });
 *
 * @example
 * // criteria typed CriterionContext<Network> also run every check on LeNet-5
 * describePluginConformance(plugin, { conv: true });
 */
import type { CriterionSpec, MaskerSpec, PrunerPlugin } from '@graphon-pai/core';
import type { CriterionContext } from '@graphon-pai/saliency';
import { type BackendName, ensureBackend } from './backend';
import { type ConformanceCheck, criterionChecks } from './criterion-checks';
import { type MaskerContext, maskerChecks, pluginChecks } from './plugin-checks';
import type { ConformanceOptions } from './setup';

export interface SuiteOptions extends ConformanceOptions {
  /** tfjs backend to run on (default: keep the active one, else cpu). */
  backend?: BackendName;
  /** Per-criterion / per-masker overrides, keyed by local id. */
  perId?: Readonly<Record<string, ConformanceOptions>>;
  /**
   * Also run every criterion check on a convolutional network: `true` for LeNet-5, or a `ConvNet` spec (name or
   * spec string). For criteria that score `ConvNet`s (`CriterionContext<Network>`, as the built-ins); default
   * false, since a criterion may support MLPs only. Maskers are checked on the MLP.
   */
  conv?: boolean | string;
}

function registerChecks(checks: ConformanceCheck[]): void {
  for (const c of checks) it(c.title, () => c.run());
}

/** The criterion's checks on the MLP problem, then (with `options.conv`) on the conv network. */
function registerCriterionChecks(
  // biome-ignore lint/suspicious/noExplicitAny: plugin criteria declare their own context type
  spec: CriterionSpec<any>,
  options: SuiteOptions,
): void {
  registerChecks(criterionChecks(spec, options));
  if (!options.conv) return;
  const convNet = options.conv === true ? 'lenet5' : options.conv;
  describe(`on a conv network (${convNet})`, () =>
    registerChecks(criterionChecks(spec, { ...options, convNet })));
}

/** Declares a jest `describe` block checking one criterion. */
export function describeCriterionConformance(
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: plugin criteria declare their own context type
  spec: CriterionSpec<CriterionContext> | CriterionSpec<any>,
  options: SuiteOptions = {},
): void {
  describe(`criterion ${name} conforms`, () => {
    beforeAll(() => ensureBackend(options.backend));
    registerCriterionChecks(spec, options);
  });
}

/** Declares a jest `describe` block checking one masker. */
export function describeMaskerConformance(
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: plugin maskers declare their own context type
  spec: MaskerSpec<MaskerContext> | MaskerSpec<any>,
  options: SuiteOptions = {},
): void {
  describe(`masker ${name} conforms`, () => {
    beforeAll(() => ensureBackend(options.backend));
    registerChecks(maskerChecks(spec, options));
  });
}

/** Declares the whole suite for a plugin: registry-level checks, then every criterion and masker. */
export function describePluginConformance(plugin: PrunerPlugin, options: SuiteOptions = {}): void {
  const ns = plugin?.meta?.namespace ?? '?';
  describe(`plugin ${plugin?.meta?.name ?? '(unnamed)'} conforms`, () => {
    beforeAll(() => ensureBackend(options.backend));
    registerChecks(pluginChecks(plugin));
    for (const [id, spec] of Object.entries(plugin?.criteria ?? {})) {
      describe(`criterion ${ns}/${id}`, () =>
        registerCriterionChecks(spec, { ...options, ...options.perId?.[id] }));
    }
    for (const [id, spec] of Object.entries(plugin?.maskers ?? {})) {
      describe(`masker ${ns}/${id}`, () =>
        registerChecks(maskerChecks(spec, { ...options, ...options.perId?.[id] })));
    }
  });
}
