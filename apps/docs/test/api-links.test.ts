/** Source links of the API reference point at the file in the repository (issue: `…/cli/src` lacked `apps/`). */
import { escapeTablePipes, pageAnchors, sourceLinks } from '../scripts/lib/api';

test('typedoc source links point at the labelled file (apps/cli/src, not cli/src; no ../)', () => {
  const repo = 'https://github.com/graphon-pai/graphon-pai/blob/main';
  expect(sourceLinks(`Defined in: [apps/cli/src/io.ts:5](${repo}/cli/src/io.ts#L5)`)).toBe(
    `Defined in: [apps/cli/src/io.ts:5](${repo}/apps/cli/src/io.ts#L5)`,
  );
  expect(
    sourceLinks(`| [packages/core/src/bit-matrix.ts:23](${repo}/../packages/core/src/bit-matrix.ts#L23) |`),
  ).toBe(`| [packages/core/src/bit-matrix.ts:23](${repo}/packages/core/src/bit-matrix.ts#L23) |`);
  expect(sourceLinks('[a link](https://example.org/x)')).toBe('[a link](https://example.org/x)');
});

test('pipes inside inline code of a table row are escaped, other text is not touched', () => {
  const row = '| `lowerBound` | `|∫_{S×T} U|` of the returned cut |';
  expect(escapeTablePipes(row)).toBe('| `lowerBound` | `\\|∫_{S×T} U\\|` of the returned cut |');
  expect(escapeTablePipes('text `a|b` outside a table')).toBe('text `a|b` outside a table');
  expect(escapeTablePipes('| `a\\|b` |')).toBe('| `a\\|b` |');
});

test('a numbered same-page anchor without its numbered heading points at the heading that exists', () => {
  const page = [
    '### ConvNetLayer',
    '',
    'see [`ConvNetLayer`](#convnetlayer-1) and [`x`](#x-1)',
    '### x',
    '### x',
  ].join('\n');
  expect(pageAnchors(page)).toContain('[`ConvNetLayer`](#convnetlayer)');
  expect(pageAnchors(page)).toContain('[`x`](#x-1)'); // the second "x" heading is #x-1
});
