import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PluginError } from '../errors';
import { PluginRegistry, validatePluginModule } from './registry';

/** Real module files loaded with dynamic import, as the CLI's `--plugin <module>` does. */
describe('validatePluginModule on imported modules', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graphon-pai-plugin-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const body = (ns: string) =>
    `{ meta: { name: '${ns}-pruners', version: '1.0.0', namespace: '${ns}' }, apiVersion: 1,
       criteria: { c: { description: 'c', needsData: false, acceptsMask: false, score: () => new Map() } } }`;
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it.each([
    ['module.exports = plugin', `module.exports = ${body('a')};`, 'a'],
    ['exports.default', `exports.default = ${body('b')};`, 'b'],
    ['exports.plugin', `exports.plugin = ${body('c')}; exports.helper = 1;`, 'c'],
    [
      '__esModule default',
      `Object.defineProperty(exports, '__esModule', { value: true }); exports.default = ${body('d')};`,
      'd',
    ],
  ])('%s', async (_label, text, ns) => {
    const file = write(`${ns}.cjs`, text);
    const plugin = validatePluginModule(await import(file), file);
    const registry = new PluginRegistry();
    registry.register(plugin, { source: file });
    expect(registry.criterion(`${ns}/c`).plugin.name).toBe(`${ns}-pruners`);
  });

  it('names the module when it exports no plugin', async () => {
    const file = write('none.cjs', 'exports.helper = () => 1;');
    const mod = await import(file);
    expect(() => validatePluginModule(mod, file)).toThrow(PluginError);
    expect(() => validatePluginModule(mod, file)).toThrow(
      /none\.cjs" exports no plugin \(found exports: .*helper/,
    );
  });
});
