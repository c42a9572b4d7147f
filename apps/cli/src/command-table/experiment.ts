/** `graphon-pai experiment`: options and help; the implementation (`../commands/experiment`) loads when it runs. */
import { InvalidArgumentError } from '@graphon-pai/core';
import { type Command, Option } from 'commander';
import type { CommandRegistrar } from '../cli';
import type { ExperimentFlags } from '../commands/experiment';
import { DEFAULT_CONFIG } from '../experiment/config';
import type { GlobalOptions } from '../io';
import { withCommonOptions } from '../options';

const DEFAULT_OUT = 'graphon-pai-report';

function numberList(flag: string) {
  return (value: string): number[] => {
    const parts = value.split(',').map((s) => Number(s.trim()));
    if (parts.some((x) => !Number.isFinite(x)))
      throw new InvalidArgumentError(flag, value, 'a comma-separated list of numbers');
    return parts;
  };
}

function num(flag: string) {
  return (value: string): number => {
    const x = Number(value);
    if (!Number.isFinite(x)) throw new InvalidArgumentError(flag, value, 'a number');
    return x;
  };
}

export const experimentCommand: CommandRegistrar = (program: Command, io) => {
  const d = DEFAULT_CONFIG;
  const cmd = withCommonOptions(
    program
      .command('experiment')
      .description(
        'reproduce the convergence and taxonomy results on MNIST (or, with --preset ntk | uat, the Graphon-NTK bound or the UAT verdict against density) and write a report folder',
      )
      .addOption(
        new Option(
          '--preset <name>',
          'taxonomy (convergence, default), ntk (Graphon-NTK bound vs density) or uat (UAT verdict vs density)',
        )
          .choices(['taxonomy', 'ntk', 'uat'])
          .default(d.preset),
      )
      .option('--criteria <ids>', `comma-separated criterion ids (default ${d.criteria.join(',')})`)
      .option(
        '--widths <list>',
        `hidden widths, increasing (default ${d.widths.join(',')}; ntk 512, uat 1024)`,
        numberList('--widths'),
      )
      .option('--seeds <list>', `seeds (default ${d.seeds.join(',')}; ntk and uat 0)`, numberList('--seeds'))
      .option('--density <p>', `kept fraction of every layer (default ${d.density})`, num('--density'))
      .addOption(
        new Option('--loss <name>', `loss of data-driven criteria (default ${d.loss})`).choices([
          'cross-entropy',
          'mse',
        ]),
      )
      .option(
        '--samples <n>',
        `MNIST digits per scoring batch (default ${d.samples}; ntk: the binary task's m, default 500)`,
        num('--samples'),
      )
      .option(
        '--row-blocks <k>',
        `canonical histogram row blocks (default ${d.rowBlocks}); ntk/uat: row blocks of the mask graphon (default 32)`,
        num('--row-blocks'),
      )
      .option(
        '--col-blocks <l>',
        `canonical histogram column blocks (default ${d.colBlocks})`,
        num('--col-blocks'),
      )
      .option('--bootstrap <b>', `homogeneity-test replicates (default ${d.bootstrap})`, num('--bootstrap'))
      .option('--alpha <a>', `homogeneity-test level (default ${d.alpha})`, num('--alpha'))
      .option(
        '--densities <list>',
        'ntk/uat: kept fractions (default ntk 0.05,0.1,0.2,0.5; uat 0.05,0.1,0.2)',
        numberList('--densities'),
      )
      .option('--classes <a,b>', 'ntk: the binary MNIST task, digit a → +1, digit b → −1 (default 3,5)')
      .addOption(
        new Option(
          '--layers <which>',
          "ntk: trained layers of the NTK (default both; 'hidden' = H^∞)",
        ).choices(['both', 'hidden']),
      )
      .option('--ridge <λ>', 'ntk: explicit ridge added to K (default 0)', num('--ridge'))
      .option('--delta <δ>', 'ntk: failure probability of the bound (default 0.05)', num('--delta'))
      .option('--k <k>', 'uat: size of S, the k densest active inputs (default 4)', num('--k'))
      .option(
        '--threshold <τ>',
        'uat: column density above which an input is active (default 0.01)',
        num('--threshold'),
      )
      .option(
        '--min-neurons <t>',
        'uat: target number of fully connected neurons (default 32)',
        num('--min-neurons'),
      )
      .option(
        '--no-figures',
        'ntk/uat: skip rendering SVG/PNG figures (the Vega-Lite specs are still written)',
      )
      .option('--shard <i/N>', 'run only shard i of N (0-based) and write a shard folder')
      .option('--out <dir>', 'output folder', DEFAULT_OUT),
  );
  cmd.action(async (flags: ExperimentFlags) =>
    (await import('../commands/experiment')).runExperimentCommand(flags, io),
  );
  withCommonOptions(
    cmd
      .command('merge')
      .description('join shard folders into the report a single run gives')
      .argument('<folders...>', 'shard folders written with --shard i/N')
      .option('--out <dir>', 'output folder', DEFAULT_OUT),
  ).action(async (folders: string[], flags: { out: string } & GlobalOptions) =>
    (await import('../commands/experiment')).runMergeCommand(folders, flags, cmd, io),
  );
};
