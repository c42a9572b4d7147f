import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../errors';
import { writeFileAtomic } from './atomic-write';
import { tempDir } from './python.test-helper';

describe('writeFileAtomic', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const leftovers = () => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  it('writes bytes and chunk producers, replacing an existing file, leaving no temporary file', () => {
    const file = path.join(dir, 'a.bin');
    writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect([...fs.readFileSync(file)]).toEqual([1, 2, 3]);
    writeFileAtomic(file, (write) => {
      write(new Uint8Array([9]));
      write(new Uint8Array(0));
      write(new Uint8Array([8, 7]));
    });
    expect([...fs.readFileSync(file)]).toEqual([9, 8, 7]);
    expect(leftovers()).toEqual([]);
  });

  it('keeps the old content and removes the temporary file when the producer throws', () => {
    const file = path.join(dir, 'b.bin');
    writeFileAtomic(file, new Uint8Array([5]));
    let sawTemp = false;
    expect(() =>
      writeFileAtomic(file, (write) => {
        write(new Uint8Array(1000));
        sawTemp = leftovers().length === 1;
        throw new Error('disk on fire');
      }),
    ).toThrow('disk on fire');
    expect(sawTemp).toBe(true);
    expect([...fs.readFileSync(file)]).toEqual([5]);
    expect(leftovers()).toEqual([]);
  });

  it('fails cleanly when the target cannot be created or replaced', () => {
    const missing = path.join(dir, 'missing', 'x.bin');
    expect(() => writeFileAtomic(missing, new Uint8Array(1))).toThrow(InvalidArgumentError);
    expect(() => writeFileAtomic(missing, new Uint8Array(1))).toThrow(
      /a path in an existing directory.*Fix: create the directory/,
    );
    const sub = path.join(dir, 'is-a-dir');
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, 'keep'), 'x');
    expect(() => writeFileAtomic(sub, new Uint8Array(1))).toThrow(/not a directory/);
    expect(fs.statSync(sub).isDirectory()).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('validates its arguments', () => {
    expect(() => writeFileAtomic('', new Uint8Array(1))).toThrow(InvalidArgumentError);
    expect(() => writeFileAtomic(path.join(dir, 'c'), 'text' as unknown as Uint8Array)).toThrow(
      InvalidArgumentError,
    );
  });
});
