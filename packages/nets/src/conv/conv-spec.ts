/**
 * Convolutional network descriptions: a short spec string, parsed into modules named like a PyTorch
 * `state_dict`.
 *
 * Grammar (whitespace-insensitive; sections separated by `|`):
 *
 *     spec    := 'input' C 'x' H 'x' W ( '|' group )+
 *     group   := [ name ':' ] module+
 *     module  := 'conv(' out ',' k [',stride=' s] [',padding=' p] [',bias=false'] ')'
 *              | 'linear(' out [',bias=false'] ')'
 *              | 'maxpool(' k [',stride=' s] ')' | 'avgpool(' k [',stride=' s] ')'
 *              | 'relu' | 'tanh' | 'flatten'
 *
 * `k`, `s`, `p` are one integer or `AxB` (height × width). Each group is an `nn.Sequential`: module `i` of
 * group `features` owns the parameters `features.<i>.weight` / `features.<i>.bias` (every module, including
 * activations and pooling, takes an index, exactly as PyTorch numbers them). A group without a name numbers
 * its modules `0, 1, …` (allowed only when it is the only group). As in torchvision's VGG, the activations
 * are flattened (NCHW order, `c·H·W + y·W + x`) automatically when a `linear` follows a spatial layer, so
 * `torch.flatten(x, 1)` between `features` and `classifier` needs no module; an explicit `flatten`
 * (`nn.Flatten`) takes an index like any module.
 *
 * Built-in networks ({@link CONV_NETS}) for 28 × 28 single-channel inputs (MNIST):
 * - `lenet5`: LeCun et al. 1998 with ReLU and max pooling, conv1 padded to keep 28 × 28 (the common
 *   PyTorch form): 6·(5×5) → pool → 16·(5×5) → pool → 120 → 84 → 10 (61,706 parameters).
 * - `vgg-small`: two VGG blocks (Simonyan & Zisserman 2015, arXiv 1409.1556) of 3 × 3 convolutions:
 *   32, 32, pool, 64, 64, pool → 256 → 10.
 *
 * @example
 * const spec = parseConvNetSpec('input 1x28x28 | features: conv(6,5,padding=2) relu maxpool(2) | classifier: linear(10)');
 * formatConvNetSpec(spec); // the canonical string
 *
 * References: LeCun, Bottou, Bengio, Haffner, "Gradient-based learning applied to document recognition",
 * Proc. IEEE 1998; Simonyan & Zisserman, "Very Deep Convolutional Networks", ICLR 2015 (arXiv 1409.1556).
 */
import { InvalidArgumentError } from '@graphon-pai/core';

export type ConvModuleSpec =
  | {
      readonly kind: 'conv';
      readonly outChannels: number;
      readonly kernel: readonly [number, number];
      readonly stride: readonly [number, number];
      readonly padding: readonly [number, number];
      readonly bias: boolean;
    }
  | { readonly kind: 'linear'; readonly outFeatures: number; readonly bias: boolean }
  | {
      readonly kind: 'maxpool' | 'avgpool';
      readonly kernel: readonly [number, number];
      readonly stride: readonly [number, number];
    }
  | { readonly kind: 'relu' | 'tanh' | 'flatten' };

export interface ConvGroupSpec {
  /** The `nn.Sequential`'s attribute name (`features`), or null for a bare `nn.Sequential`. */
  readonly name: string | null;
  readonly modules: readonly ConvModuleSpec[];
}

export interface ConvNetSpec {
  /** Input `[channels, height, width]`. */
  readonly input: readonly [number, number, number];
  readonly groups: readonly ConvGroupSpec[];
}

/** The built-in networks by name (spec strings, see the file header). */
export const CONV_NETS = {
  lenet5:
    'input 1x28x28 | features: conv(6,5,padding=2) relu maxpool(2) conv(16,5) relu maxpool(2) | classifier: linear(120) relu linear(84) relu linear(10)',
  'vgg-small':
    'input 1x28x28 | features: conv(32,3,padding=1) relu conv(32,3,padding=1) relu maxpool(2) conv(64,3,padding=1) relu conv(64,3,padding=1) relu maxpool(2) | classifier: linear(256) relu linear(10)',
} as const;

export type ConvNetName = keyof typeof CONV_NETS;

function bad(text: string, what: string, fix: string): never {
  throw new InvalidArgumentError('spec', text, what, { fix });
}

const GRAMMAR_FIX =
  "write e.g. 'input 1x28x28 | features: conv(6,5,padding=2) relu maxpool(2) | classifier: linear(10)', or a built-in name (lenet5, vgg-small)";

function positive(text: string, token: string, allowZero = false): number {
  const v = Number(token);
  if (!(Number.isInteger(v) && (allowZero ? v >= 0 : v > 0)) || !/^\d+$/.test(token)) {
    bad(text, `a ${allowZero ? 'non-negative' : 'positive'} integer where '${token}' stands`, GRAMMAR_FIX);
  }
  return v;
}

function pairOf(text: string, token: string, allowZero = false): [number, number] {
  const parts = token.split('x');
  if (parts.length === 1) {
    const v = positive(text, parts[0], allowZero);
    return [v, v];
  }
  if (parts.length !== 2) bad(text, `a size 'N' or 'HxW' where '${token}' stands`, GRAMMAR_FIX);
  return [positive(text, parts[0], allowZero), positive(text, parts[1], allowZero)];
}

function parseModule(text: string, token: string): ConvModuleSpec {
  const m = /^([a-z]+)(?:\((.*)\))?$/.exec(token);
  if (!m) bad(text, `a module, not '${token}'`, GRAMMAR_FIX);
  const [, kind, argText] = m;
  const args = argText === undefined || argText === '' ? [] : argText.split(',');
  const positional = args.filter((a) => !a.includes('='));
  const named = new Map(args.filter((a) => a.includes('=')).map((a) => a.split('=', 2) as [string, string]));
  const allow = (keys: string[], count: number) => {
    for (const k of named.keys()) {
      if (!keys.includes(k))
        bad(text, `an option of ${kind} (${keys.join(', ') || 'none'}), not '${k}'`, GRAMMAR_FIX);
    }
    if (positional.length !== count)
      bad(text, `${count} positional argument(s) to ${kind} in '${token}'`, GRAMMAR_FIX);
  };
  const biasOf = () => {
    const b = named.get('bias') ?? 'true';
    if (b !== 'true' && b !== 'false') bad(text, `bias=true or bias=false in '${token}'`, GRAMMAR_FIX);
    return b === 'true';
  };
  switch (kind) {
    case 'conv': {
      allow(['stride', 'padding', 'bias'], 2);
      return {
        kind: 'conv',
        outChannels: positive(text, positional[0]),
        kernel: pairOf(text, positional[1]),
        stride: pairOf(text, named.get('stride') ?? '1'),
        padding: pairOf(text, named.get('padding') ?? '0', true),
        bias: biasOf(),
      };
    }
    case 'linear':
      allow(['bias'], 1);
      return { kind: 'linear', outFeatures: positive(text, positional[0]), bias: biasOf() };
    case 'maxpool':
    case 'avgpool': {
      allow(['stride'], 1);
      const kernel = pairOf(text, positional[0]);
      return { kind, kernel, stride: named.has('stride') ? pairOf(text, named.get('stride')!) : kernel };
    }
    case 'relu':
    case 'tanh':
    case 'flatten':
      if (argText !== undefined) bad(text, `'${kind}' without arguments`, GRAMMAR_FIX);
      return { kind };
    default:
      return bad(
        text,
        `a known module (conv, linear, maxpool, avgpool, relu, tanh, flatten), not '${kind}'`,
        GRAMMAR_FIX,
      );
  }
}

/** Parses a spec string or a built-in name ({@link CONV_NETS}). */
export function parseConvNetSpec(text: string): ConvNetSpec {
  if (typeof text !== 'string') bad(String(text), 'a spec string', GRAMMAR_FIX);
  const source = (CONV_NETS as Record<string, string>)[text.trim()] ?? text;
  // Drop blanks inside parentheses so that modules split on whitespace.
  const compact = source.replace(/\(([^)]*)\)/g, (_, inner: string) => `(${inner.replace(/\s+/g, '')})`);
  const sections = compact.split('|').map((s) => s.trim());
  const head = /^input\s+(\d+)x(\d+)x(\d+)$/.exec(sections[0]);
  if (!head) bad(text, "a first section 'input CxHxW'", GRAMMAR_FIX);
  const input: [number, number, number] = [
    positive(text, head[1]),
    positive(text, head[2]),
    positive(text, head[3]),
  ];
  if (sections.length < 2) bad(text, 'at least one group of modules after the input', GRAMMAR_FIX);
  const groups: ConvGroupSpec[] = sections.slice(1).map((section) => {
    const named = /^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$/.exec(section);
    const body = named ? named[2] : section;
    const tokens = body.split(/\s+/).filter((t) => t.length > 0);
    if (tokens.length === 0) bad(text, `modules in the group '${section}'`, GRAMMAR_FIX);
    return { name: named ? named[1] : null, modules: tokens.map((t) => parseModule(text, t)) };
  });
  const names = groups.map((g) => g.name);
  if (names.includes(null) && groups.length > 1) {
    bad(
      text,
      'a name for every group when there are several',
      "prefix each group with 'name:' (e.g. features:, classifier:)",
    );
  }
  if (new Set(names).size !== names.length) bad(text, 'distinct group names', 'rename the repeated group');
  return { input, groups };
}

const size = (p: readonly [number, number]) => (p[0] === p[1] ? String(p[0]) : `${p[0]}x${p[1]}`);

function formatModule(m: ConvModuleSpec): string {
  switch (m.kind) {
    case 'conv': {
      const opts = [
        m.stride[0] !== 1 || m.stride[1] !== 1 ? `stride=${size(m.stride)}` : null,
        m.padding[0] !== 0 || m.padding[1] !== 0 ? `padding=${size(m.padding)}` : null,
        m.bias ? null : 'bias=false',
      ].filter((o) => o !== null);
      return `conv(${[m.outChannels, size(m.kernel), ...opts].join(',')})`;
    }
    case 'linear':
      return `linear(${m.outFeatures}${m.bias ? '' : ',bias=false'})`;
    case 'maxpool':
    case 'avgpool':
      return `${m.kind}(${size(m.kernel)}${m.stride[0] === m.kernel[0] && m.stride[1] === m.kernel[1] ? '' : `,stride=${size(m.stride)}`})`;
    default:
      return m.kind;
  }
}

/** The canonical spec string (parses back to an equal spec). */
export function formatConvNetSpec(spec: ConvNetSpec): string {
  return [
    `input ${spec.input.join('x')}`,
    ...spec.groups.map((g) => `${g.name ? `${g.name}: ` : ''}${g.modules.map(formatModule).join(' ')}`),
  ].join(' | ');
}

/**
 * The spec with every convolution's output channels and every hidden linear layer's width multiplied by
 * `multiplier` (rounded, at least 1); the last linear layer (the classes) is kept. For width sweeps.
 */
export function scaleConvNetWidth(spec: ConvNetSpec, multiplier: number): ConvNetSpec {
  if (!(Number.isFinite(multiplier) && multiplier > 0)) {
    throw new InvalidArgumentError('multiplier', multiplier, 'a finite positive number');
  }
  const all = spec.groups.flatMap((g) => g.modules);
  const last = all.map((m) => m.kind).lastIndexOf('linear');
  let position = 0;
  const scale = (v: number) => Math.max(1, Math.round(v * multiplier));
  return {
    input: spec.input,
    groups: spec.groups.map((g) => ({
      name: g.name,
      modules: g.modules.map((m) => {
        const here = position++;
        if (m.kind === 'conv') return { ...m, outChannels: scale(m.outChannels) };
        if (m.kind === 'linear' && here !== last) return { ...m, outFeatures: scale(m.outFeatures) };
        return m;
      }),
    })),
  };
}
