/**
 * What the docs say about each CLI command beyond its `--help`: a title, the job it does, and example
 * invocations that the generator runs for real at build time (their output is pasted into the page).
 * A command that the CLI does not have yet gets no page; a command the CLI has but this table does not
 * know still gets a page with its own description and `--help`.
 */
export interface CommandDoc {
  /** Sub-command path, e.g. `['plugins', 'list']`. */
  readonly path: readonly string[];
  readonly title: string;
  /** Markdown paragraph(s) shown above the generated output. */
  readonly intro: string;
  /** Argument lists (after `graphon-pai`) run in a scratch directory; each must exit 0. */
  readonly examples: readonly (readonly string[])[];
}

export const commandDocs: readonly CommandDoc[] = [
  {
    path: ['prune'],
    title: 'Prune a network at initialisation',
    intro:
      'Scores every weight of a freshly initialised network with a pruning-at-initialisation criterion ' +
      '(Random, Magnitude, SNIP, GraSP, SynFlow, or a plugin criterion) and keeps exactly the requested ' +
      '**density** (fraction of weights kept) per layer or over the whole network. The mask is written as a ' +
      'safetensors file that PyTorch, numpy and JAX read directly.',
    examples: [],
  },
  {
    path: ['inspect'],
    title: 'Inspect a mask or tensor file',
    intro:
      'Summarises a safetensors or `.npy` file: layer shapes, densities, row and column degree statistics, ' +
      'and the metadata a mask was written with (criterion, density, seed, tool version).',
    examples: [],
  },
  {
    path: ['graphon'],
    title: 'Estimate the graphon of a mask',
    intro:
      'Orders a layer mask canonically (rows and columns by degree) and estimates its bipartite graphon as a ' +
      'step function, with a heatmap figure. See [Graphons and canonical ordering](/concepts/graphons).',
    examples: [],
  },
  {
    path: ['limit'],
    title: 'Compute a Factorised Saliency Model limit',
    intro:
      'Evaluates the limit graphon that the [Factorised Saliency Model](/concepts/factorised-saliency-model) ' +
      'predicts for given factor distributions, edge noise and density, or fits the model to observed scores.',
    examples: [],
  },
  {
    path: ['cut'],
    title: 'Measure cut norms and cut distances',
    intro:
      'Computes the cut norm of a difference of step graphons, or the cut distance between two masks or ' +
      'graphons, and reports which numbers are certified lower bounds, upper bounds or estimates. See ' +
      '[Cut norm and cut distance](/concepts/cut-distance).',
    examples: [],
  },
  {
    path: ['bounds'],
    title: 'Evaluate expressivity and generalisation bounds',
    intro:
      'Checks the [universal-approximation condition](/concepts/uat-condition) on the active inputs of a ' +
      'graphon and evaluates the [Graphon-NTK generalisation bound](/concepts/graphon-ntk) with kernel ' +
      'alignment and spectrum diagnostics.',
    examples: [],
  },
  {
    path: ['experiment'],
    title: 'Reproduce the experiments',
    intro:
      'Runs the convergence, taxonomy and generalisation experiments end to end and writes a report folder ' +
      '(Markdown, SVG/PNG figures, CSV and JSON). With no arguments it reproduces the main results on ' +
      'built-in data; `--shard i/N` and `experiment merge` split a sweep over a batch scheduler. See ' +
      '[Reproducing the experiments](/guide/experiments).',
    examples: [],
  },
  {
    path: ['plugins', 'list'],
    title: 'List pruner plugins',
    intro:
      'Lists every registered criterion and masker (built-ins under the `graphon-pai` namespace and any ' +
      'plugin loaded with `--plugin` or from `graphon-pai.config.json`). See ' +
      '[Writing a pruner plugin](/guide/plugins).',
    examples: [['plugins', 'list']],
  },
];
