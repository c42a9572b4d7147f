/**
 * What the docs say about each CLI command beyond its `--help`: a title, the job it does, and example
 * invocations that the generator runs for real at build time (their stdout, and the figures they write,
 * are pasted into the page).
 *
 * All examples share one scratch directory and run in the order of this table, so they chain like a real
 * session: `prune` writes mask files, `inspect`, `graphon` and `cut` read them, the experiment
 * shards are merged by `experiment merge`. Sizes are tiny (a 784 → 64 → 10 MLP, widths up to 128, few
 * samples) so the examples add well under a minute to the docs build.
 *
 * A command that the CLI does not have yet gets no page and its examples are skipped; a command the CLI
 * has but this table does not know still gets a page with its own description and `--help`.
 */
export interface ExampleFigure {
  /** File the example writes, relative to the scratch directory (SVG or PNG). */
  readonly file: string;
  readonly alt: string;
  readonly caption: string;
}

export interface Example {
  /** Argument list after `graphon-pai`; run in the shared scratch directory; must exit 0. */
  readonly args: readonly string[];
  /** Markdown sentence shown above the example. */
  readonly text: string;
  /** Figures the run writes, shown below its output. */
  readonly figures?: readonly ExampleFigure[];
  /** Sections of Markdown files the run writes, shown collapsed below its output. */
  readonly excerpts?: readonly ExampleExcerpt[];
}

export interface ExampleExcerpt {
  /** Markdown file the example writes, relative to the scratch directory. */
  readonly file: string;
  /** Start of the `## ` heading whose section (up to the next `## ` heading) is shown. */
  readonly section: string;
}

export interface CommandDoc {
  /** Sub-command path, e.g. `['plugins', 'list']`. */
  readonly path: readonly string[];
  readonly title: string;
  /** Markdown paragraph(s) shown above the generated output. */
  readonly intro: string;
  readonly examples: readonly Example[];
}

const NET = 'mlp:784-64-10';

/** Shard i of 2 of one small sweep: both shards must run the same sweep flags for `experiment merge`. */
const shardArgs = (i: number): string[] => [
  'experiment',
  ...['--criteria', 'random,snip', '--widths', '32,64', '--seeds', '0'],
  ...['--samples', '64', '--bootstrap', '49'],
  ...['--shard', `${i}/2`, '--out', `shard-${i}`],
];

export const commandDocs: readonly CommandDoc[] = [
  {
    path: ['prune'],
    title: 'Prune a network at initialisation',
    intro:
      'Scores every weight of a freshly initialised network with a pruning-at-initialisation criterion ' +
      '(Random, Magnitude, SNIP, GraSP, SynFlow, or a plugin criterion) and keeps exactly the requested ' +
      '**density** (fraction of weights kept) per layer or over the whole network. The mask is written as a ' +
      'safetensors file that PyTorch, numpy and JAX read directly.',
    examples: [
      {
        args: [
          'prune',
          '--net',
          NET,
          '--criterion',
          'snip',
          '--density',
          '0.2',
          '--samples',
          '64',
          '--out',
          'snip.safetensors',
          '--scores-out',
          'snip-scores.safetensors',
        ],
        text:
          'SNIP on a 784 → 64 → 10 ReLU MLP, scored on 64 MNIST digits, keeping 20 % of all weights ' +
          '(global allocation). The scores are saved too: `--scores` re-uses them in a later `prune`, and ' +
          '[`limit --fit`](./limit) fits the Factorised Saliency Model to them. The other examples on these ' +
          'pages read this mask.',
      },
      {
        args: [
          'prune',
          '--net',
          NET,
          '--criterion',
          'random',
          '--density',
          '0.2',
          '--out',
          'random.safetensors',
        ],
        text: 'The data-free baseline: a uniformly random mask of the same network and density.',
      },
    ],
  },
  {
    path: ['inspect'],
    title: 'Inspect a mask file',
    intro:
      'Summarises a mask file: per-layer shape, density, fan-in and fan-out statistics, empty rows and ' +
      'columns, effective paths, nodes and parameters, and whether the network has collapsed (some layer ' +
      'cut off from the output).',
    examples: [
      {
        args: ['inspect', 'snip.safetensors'],
        text:
          'The SNIP mask from the [prune examples](./prune). SNIP keeps the weights of informative pixels, so ' +
          'many input pixels (the MNIST border) lose every connection: the empty-column count of the first ' +
          'layer.',
      },
    ],
  },
  {
    path: ['graphon'],
    title: 'Estimate the graphon of a mask',
    intro:
      'Orders a layer mask canonically (rows and columns by degree) and estimates its bipartite graphon as a ' +
      'step function, with a heatmap figure. See [Graphons and canonical ordering](/concepts/graphons).',
    examples: [
      {
        args: ['graphon', 'snip.safetensors', '--layer', '0.weight', '--out', 'graphon-snip'],
        text:
          'The histogram estimate of the first layer of the SNIP mask (64 hidden neurons × 784 pixels), with ' +
          'the bandwidth rule choosing the number of blocks.',
        figures: [
          {
            file: 'graphon-snip/heatmap.svg',
            alt: 'Heatmap of the estimated graphon of the SNIP mask: dense on the left (informative pixels), empty on the right',
            caption:
              'graphon-snip/heatmap.svg: rows are hidden neurons, columns are input pixels, both sorted by ' +
              'degree. SNIP keeps the informative pixels (left) and drops the border pixels (right).',
          },
        ],
      },
    ],
  },
  {
    path: ['limit'],
    title: 'Compute a Factorised Saliency Model limit',
    intro:
      'Evaluates the limit graphon that the [Factorised Saliency Model](/concepts/factorised-saliency-model) ' +
      'predicts for given factor distributions, edge noise and density, or fits the model to observed scores, ' +
      'and writes its block averages (`graphon.npy` with the cuts) and a heatmap.',
    examples: [
      {
        args: [
          'limit',
          '--row-factor',
          'half-normal',
          '--col-factor',
          'profile:exp(-3*x)',
          '--noise',
          'constant',
          '--density',
          '0.2',
          '--grid',
          '32x32',
          '--out',
          'limit-threshold',
        ],
        text:
          'The limit of a *threshold* model: half-normal neuron factors, an input profile $b(v) = e^{-3v}$ and ' +
          'no edge noise, so a weight is kept exactly when $a\\,b(v) \\ge \\tau$ and the limit graphon is ' +
          'an indicator with a curved boundary.',
        figures: [
          {
            file: 'limit-threshold/heatmap.svg',
            alt: 'Heatmap of a threshold-model limit graphon: ones above a curved boundary, zeros below',
            caption: 'limit-threshold/heatmap.svg: W(u, v) = 1 where a(u) b(v) ≥ τ, 0 elsewhere.',
          },
        ],
      },
      {
        args: [
          'limit',
          '--fit',
          'snip-scores.safetensors',
          '--layer',
          '0.weight',
          '--density',
          '0.2',
          '--grid',
          '32x32',
          '--out',
          'limit-snip',
        ],
        text:
          'Fitting the model to the SNIP scores saved by the [prune example](./prune): the scores of the ' +
          'first layer are factorised as $|s| = A \\cdot B \\cdot \\xi$ and the limit the fitted model ' +
          'predicts at density 0.2 is written. Compare its heatmap with the ' +
          '[estimate from the mask itself](./graphon).',
        figures: [
          {
            file: 'limit-snip/heatmap.svg',
            alt: 'Heatmap of the limit graphon predicted by the FSM fitted to the SNIP scores',
            caption: 'limit-snip/heatmap.svg: the limit predicted from the fitted factors and noise.',
          },
        ],
      },
    ],
  },
  {
    path: ['cut'],
    title: 'Measure cut norms and cut distances',
    intro:
      'Computes the cut norm of a graphon, or the cut distance between two masks, matrices or graphons, ' +
      'and reports which numbers are certified upper bounds and which are lower bounds. See ' +
      '[Cut norm and cut distance](/concepts/cut-distance).',
    examples: [
      {
        args: ['cut', 'snip.safetensors', 'random.safetensors', '--layer', '0.weight'],
        text:
          'How far apart are the SNIP and the random mask of the [prune examples](./prune), as graphs? ' +
          'The first layers of both have the same shape and density; the cut distance measures their ' +
          'difference in structure after the best alignment of rows and columns.',
      },
      {
        args: ['cut', 'random.safetensors', 'const:0.2', '--layer', '0.weight'],
        text:
          'The random mask against the constant graphon $W \\equiv 0.2$, its predicted limit: the distance ' +
          'is the sampling noise of a 64 × 784 layer and shrinks as the layer grows.',
      },
    ],
  },
  {
    path: ['bounds'],
    title: 'Evaluate expressivity and generalisation bounds',
    intro:
      'Checks the [universal-approximation condition](/concepts/uat-condition) on the active inputs of a ' +
      'graphon and evaluates the [Graphon-NTK generalisation bound](/concepts/graphon-ntk) with kernel ' +
      'alignment and spectrum diagnostics.',
    examples: [
      {
        args: ['bounds', 'snip.safetensors', '--layer', '0.weight', '--samples', '200'],
        text:
          'Both checks on the first layer of the SNIP mask from the [prune examples](./prune), with the NTK ' +
          'on 200 MNIST digits (3 against 5). On all of its active inputs at once the UAT condition fails: no ' +
          'neuron of this sparse layer sees every active pixel.',
      },
      {
        args: [
          'bounds',
          'snip.safetensors',
          '--layer',
          '0.weight',
          '--coordinates',
          'top:3',
          '--min-neurons',
          '8',
          '--no-ntk',
        ],
        text:
          'Restricted to the three best-connected inputs the condition holds: a floor rectangle of neurons ' +
          'connected to all three exists, and the observed number of fully connected neurons is close to its ' +
          'expectation and above the floor-rectangle prediction. `--no-ntk` skips the kernel (no data needed).',
      },
    ],
  },
  {
    path: ['experiment'],
    title: 'Reproduce the experiments',
    intro:
      'Runs an experiment end to end and writes a report folder (Markdown, SVG/PNG figures, CSV and ' +
      'JSON): the convergence and taxonomy experiment (`--preset taxonomy`, the default), the Graphon-NTK ' +
      'bound against density (`--preset ntk`) or the UAT verdict against density (`--preset uat`). With ' +
      'no arguments it reproduces the main results on built-in MNIST data; `--shard i/N` and ' +
      '[`experiment merge`](./experiment-merge) split a sweep over a batch scheduler. See ' +
      '[Reproducing the experiments](/guide/experiments).',
    examples: [
      {
        args: [
          'experiment',
          '--criteria',
          'random,snip',
          '--widths',
          '32,64,128',
          '--seeds',
          '0,1',
          '--samples',
          '64',
          '--bootstrap',
          '49',
          '--out',
          'report',
        ],
        text:
          'A miniature run (2 criteria × 3 widths × 2 seeds, 49 bootstrap replicates, enough to reject at α = 0.05) that takes seconds. ' +
          'The full defaults go to width 1024 with 3 seeds and 99 replicates; at these small widths the ' +
          'homogeneity test has little power, so the verdicts printed here need not match the theory.',
        figures: [
          {
            file: 'report/figures/heatmaps.svg',
            alt: 'Canonical mask graphons of the first layer at widths 32, 64 and 128 beside the FSM-predicted limit, for random and SNIP',
            caption:
              'report/figures/heatmaps.svg: the first-layer masks at increasing width, canonically ordered, ' +
              'beside the limit the Factorised Saliency Model predicts.',
          },
          {
            file: 'report/figures/convergence.svg',
            alt: 'Certified upper bound on the cut distance to the limit against width, log-log',
            caption: 'report/figures/convergence.svg: the certified cut-distance upper bound against width.',
          },
        ],
      },
      {
        args: [
          'experiment',
          '--preset',
          'ntk',
          '--criteria',
          'random,snip',
          '--widths',
          '128',
          '--densities',
          '0.1,0.5',
          '--samples',
          '100',
          '--out',
          'report-ntk',
        ],
        text:
          'The Graphon-NTK preset in miniature: MNIST 3 against 5 with m = 100 digits, width 128, two ' +
          'densities. `report-ntk/report.md` lists, per criterion and density, the kernel scale tr K/m, the ' +
          'kernel–target alignment, λ_min, the effective rank and the bound √(2yᵀK⁻¹y/m) + C√(log(m/(λ_min δ))/m), ' +
          'next to the dense reference W ≡ 1. The defaults use width 512, m = 500 and densities 0.05–0.5.',
        figures: [
          {
            file: 'report-ntk/figures/ntk.svg',
            alt: "The bound's leading term and the kernel–target alignment against density, for random and SNIP",
            caption:
              "report-ntk/figures/ntk.svg: the bound's leading term (left) and the kernel–target alignment " +
              '(right) against density.',
          },
        ],
        excerpts: [{ file: 'report-ntk/report.md', section: 'Results per criterion' }],
      },
      {
        args: [
          'experiment',
          '--preset',
          'uat',
          '--criteria',
          'random,snip',
          '--widths',
          '256',
          '--densities',
          '0.05,0.2',
          '--out',
          'report-uat',
        ],
        text:
          'The UAT preset in miniature (width 256, two densities): for each mask, the active inputs, the k = 4 ' +
          'densest of them (S), the floor rectangle and the predicted, expected and observed numbers of hidden ' +
          'neurons connected to all of S, with the verdict and the width the condition would need. The ' +
          'defaults use width 1024 and densities 0.05, 0.1 and 0.2.',
        figures: [
          {
            file: 'report-uat/figures/active-coordinates.svg',
            alt: 'Column density of the first-layer mask over the 28×28 pixels for random and SNIP at two densities; inactive pixels grey, S marked',
            caption:
              'report-uat/figures/active-coordinates.svg: which pixels stay connected. Random pruning leaves almost ' +
              'every pixel active; SNIP concentrates on the digit area.',
          },
        ],
        excerpts: [{ file: 'report-uat/report.md', section: 'Results per criterion' }],
      },
    ],
  },
  {
    path: ['experiment', 'merge'],
    title: 'Merge experiment shards',
    intro:
      'Joins the shard folders written by `graphon-pai experiment --shard i/N` into the report a single ' +
      'run writes (the jobs of a sweep are independent, so N machines can run them). See ' +
      '[Reproducing the experiments](/guide/experiments).',
    examples: [
      {
        args: shardArgs(0),
        text: 'The first of two shards of a small sweep (on a cluster, one job of an array)…',
      },
      {
        args: shardArgs(1),
        text: '…the second shard…',
      },
      {
        args: ['experiment', 'merge', 'shard-0', 'shard-1', '--out', 'report-merged'],
        text: '…and the merge, which writes the same report folder as the unsharded run would.',
      },
    ],
  },
  {
    path: ['plugins', 'list'],
    title: 'List pruner plugins',
    intro:
      'Lists every registered criterion and masker (built-ins under the `graphon-pai` namespace and any ' +
      'plugin loaded with `--plugin` or from `graphon-pai.config.json`). See ' +
      '[Writing a pruner plugin](/guide/plugins).',
    examples: [{ args: ['plugins', 'list'], text: 'The built-in criteria and maskers.' }],
  },
];
