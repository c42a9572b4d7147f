/** Source links of the API reference point at the file in the repository (issue: `…/cli/src` lacked `apps/`). */
import { escapeTablePipes, sourcePath } from '../scripts/lib/api';

test('typedoc source paths are made relative to the repository root', () => {
  expect(sourcePath('../../../cli/src/plugins.ts')).toBe('apps/cli/src/plugins.ts');
  expect(sourcePath('../../../../packages/core/src/bit-matrix.ts')).toBe('packages/core/src/bit-matrix.ts');
});

test('pipes inside inline code of a table row are escaped, other text is not touched', () => {
  const row = '| `lowerBound` | `|∫_{S×T} U|` of the returned cut |';
  expect(escapeTablePipes(row)).toBe('| `lowerBound` | `\\|∫_{S×T} U\\|` of the returned cut |');
  expect(escapeTablePipes('text `a|b` outside a table')).toBe('text `a|b` outside a table');
  expect(escapeTablePipes('| `a\\|b` |')).toBe('| `a\\|b` |');
});
