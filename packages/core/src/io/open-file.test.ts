import * as path from 'node:path';
import { InvalidArgumentError } from '../errors';
import { readNpy, readNpyHeader } from './npy';
import { tempDir } from './python.test-helper';
import { readSafetensors, readSafetensorsHeader } from './safetensors';

describe('readers: file-system failures are typed errors naming the path', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const missing = path.join(dir, 'nope.safetensors');

  it.each([
    ['readSafetensors', (p: string) => readSafetensors(p)],
    ['readSafetensorsHeader', (p: string) => readSafetensorsHeader(p)],
    ['readNpy', (p: string) => readNpy(p)],
    ['readNpyHeader', (p: string) => readNpyHeader(p)],
  ])('%s: missing file, directory, empty path', (_name, read) => {
    expect(() => read(missing)).toThrow(InvalidArgumentError);
    expect(() => read(missing)).toThrow(
      /must be an existing file; got ".*nope\.safetensors".*Fix: check the path/,
    );
    expect(() => read(dir)).toThrow(/a file, not a directory/);
    expect(() => read('')).toThrow(InvalidArgumentError);
  });
});
