/**
 * The light checks of the taxonomy preset's conv study (`--net`, `--layer`, `--widths` as channel
 * multipliers, `--wide-multiplier`), run by the preset's `validate` without loading a tensor library. What
 * needs the network itself (the spec parses, the layer is a convolution of it, the density keeps a weight of
 * the smallest layer) is checked by `conv-study.ts` before any job runs.
 *
 * Flags of the MLP study that mean nothing for a conv layer are refused, naming the flag and the fix:
 * `--reference-width` (the plug-in limit scores fresh hidden neurons of a one-hidden-layer MLP; a conv layer
 * has no such scorer, its wide reference is `--wide-multiplier`) and `--output-at-init zero` (pairs hidden
 * neurons of the MLP).
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import type { TaxonomyConfig } from './config';

/** The wide-mask reference sits at this multiple of the widest multiplier unless `--wide-multiplier` says. */
export const WIDE_FACTOR = 2;

/** The channel multiplier of the `wide-mask` reference. */
export function wideMultiplier(config: TaxonomyConfig): number {
  return config.wideMultiplier ?? WIDE_FACTOR * config.widths[config.widths.length - 1];
}

/** Checks a conv-study configuration (`config.net` is set). */
export function checkConvStudy(c: TaxonomyConfig): void {
  if (typeof c.net !== 'string' || c.net.trim() === '' || c.net.trim().startsWith('mlp:')) {
    throw new InvalidArgumentError('--net', c.net, 'a conv network: lenet5, vgg-small or conv:<spec>', {
      fix: 'the taxonomy preset builds its MLP (784 → n → 10) itself: drop --net to study it, or pass --net lenet5',
    });
  }
  if (typeof c.layer !== 'string' || c.layer.trim() === '') {
    throw new InvalidArgumentError('--layer', c.layer, `a convolution of --net ${c.net} to study`, {
      fix: 'pass e.g. --layer features.3 (LeNet-5: features.0 or features.3)',
    });
  }
  if (c.referenceWidth !== 0) {
    throw new InvalidArgumentError('--reference-width', c.referenceWidth, 'absent with --net', {
      fix: 'the plug-in limit scores fresh neurons of the MLP; a conv layer is compared with a wide mask of the same criterion: set its channel multiplier with --wide-multiplier',
    });
  }
  if (c.outputAtInit !== 'network') {
    throw new InvalidArgumentError('--output-at-init', c.outputAtInit, 'absent with --net', {
      fix: 'pairing neurons (w, ±a) is defined for the MLP’s hidden layer; drop --output-at-init',
    });
  }
  const m = c.widths;
  if (
    !(
      Array.isArray(m) &&
      m.length >= 2 &&
      m.every((x, i) => Number.isFinite(x) && x > 0 && x <= 64 && (i === 0 || x > m[i - 1]))
    )
  ) {
    throw new InvalidArgumentError(
      '--widths',
      Array.isArray(m) ? m.join(',') : m,
      'at least two increasing channel multipliers in (0, 64] with --net, e.g. 1,2,4,8',
    );
  }
  const widest = m[m.length - 1];
  const wide = wideMultiplier(c);
  if (!(Number.isFinite(wide) && wide > widest && wide <= 128)) {
    throw new InvalidArgumentError(
      '--wide-multiplier',
      wide,
      `a channel multiplier above the widest ${widest}, at most 128`,
      {
        fix: `omit it (default ${WIDE_FACTOR} × the widest) or pass e.g. --wide-multiplier ${WIDE_FACTOR * widest}`,
      },
    );
  }
  for (const key of ['rowBlocks', 'colBlocks'] as const) {
    if (!(Number.isInteger(c[key]) && c[key] >= 1 && c[key] <= 4096)) {
      throw new InvalidArgumentError(
        key === 'rowBlocks' ? '--row-blocks' : '--col-blocks',
        c[key],
        'an integer in [1, 4096]',
      );
    }
  }
  if (!(c.density > 0 && c.density <= 1)) {
    throw new InvalidArgumentError('--density', c.density, 'a number in (0, 1] (the kept fraction)', {
      fix: 'pass e.g. --density 0.1 to keep 10 % of the weights',
    });
  }
}
