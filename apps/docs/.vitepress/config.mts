import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DefaultTheme, defineConfig } from 'vitepress';

const here = dirname(fileURLToPath(import.meta.url));
const generatedFile = join(here, 'generated', 'sidebar.json');

/** Navigation written by `scripts/generate.ts` (CLI how-tos, API packages, benchmark pages). */
interface GeneratedNav {
  cli: DefaultTheme.SidebarItem[];
  api: DefaultTheme.SidebarItem[];
  benchmarks: DefaultTheme.SidebarItem[];
}

function loadGenerated(): GeneratedNav {
  if (!existsSync(generatedFile)) {
    throw new Error(
      `${generatedFile} is missing: run \`pnpm --filter @graphon-pai/docs generate\` (the build script does this first)`,
    );
  }
  return JSON.parse(readFileSync(generatedFile, 'utf8')) as GeneratedNav;
}

const generated = loadGenerated();

const concepts: DefaultTheme.SidebarItem = {
  text: 'Concepts',
  items: [
    { text: 'Overview', link: '/concepts/' },
    { text: 'Masks as bipartite graphs', link: '/concepts/masks-as-graphs' },
    { text: 'Graphons and canonical ordering', link: '/concepts/graphons' },
    { text: 'The Factorised Saliency Model', link: '/concepts/factorised-saliency-model' },
    { text: 'Cut norm and cut distance', link: '/concepts/cut-distance' },
    { text: 'Convergence at a fixed input dimension', link: '/concepts/fixed-input-dimension' },
    { text: 'Universal approximation on active inputs', link: '/concepts/uat-condition' },
    { text: 'The Graphon-NTK bound', link: '/concepts/graphon-ntk' },
  ],
};

const guide: DefaultTheme.SidebarItem = {
  text: 'Guide',
  items: [
    { text: 'Getting started', link: '/guide/getting-started' },
    { text: 'Writing a pruner plugin', link: '/guide/plugins' },
    { text: 'Masks to and from PyTorch', link: '/guide/pytorch' },
    { text: 'Reproducing the experiments', link: '/guide/experiments' },
  ],
};

export default defineConfig({
  title: 'graphon-pai',
  description: 'Pruning at initialisation through graphon limits, as a TypeScript toolkit.',
  lang: 'en-GB',
  srcDir: 'src',
  outDir: 'dist',
  cacheDir: '.vitepress/cache',
  lastUpdated: false,
  cleanUrls: false,
  // Dead internal links fail the build (VitePress default); say so explicitly.
  ignoreDeadLinks: false,
  // attrs off: `{…}` after emphasis in TSDoc formulas (`R_{i−1}`) must stay text, not become HTML attributes.
  markdown: { math: true, lineNumbers: false, attrs: { disable: true } },
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/logo.svg' }]],
  themeConfig: {
    logo: '/logo.svg',
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Concepts', link: '/concepts/' },
      { text: 'CLI', link: '/cli/' },
      { text: 'API', link: '/api/' },
      { text: 'Benchmarks', link: '/benchmarks/' },
      { text: 'Playground', link: '/playground' },
    ],
    sidebar: {
      '/guide/': [guide, concepts],
      '/concepts/': [concepts, guide],
      '/cli/': [{ text: 'Command line', items: generated.cli }],
      '/api/': [{ text: 'API reference', items: generated.api }],
      '/benchmarks/': [{ text: 'Benchmarks', items: generated.benchmarks }],
    },
    outline: { level: [2, 3] },
    search: { provider: 'local' },
    footer: {
      message: 'MIT licensed. Theory: Pham, Ta, Tran-Thanh, ICML 2026 (arXiv 2602.06675).',
    },
  },
});
