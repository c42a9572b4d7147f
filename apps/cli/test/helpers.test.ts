import { argv } from './helpers';
test('argv: literal text splits at whitespace, a value joins the word it stands in', () => {
  const out = '/tmp/a b';
  expect(argv`prune --out ${out}.safetensors --x ${''} y`).toEqual([
    'prune',
    '--out',
    '/tmp/a b.safetensors',
    '--x',
    '',
    'y',
  ]);
  expect(argv`
    a ${1}${2} b`).toEqual(['a', '12', 'b']);
});
