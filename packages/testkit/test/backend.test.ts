import { UnsupportedError } from '@graphon-pai/core';
import { backendLoadError, ensureBackend } from '../src';

describe('ensureBackend errors name the real cause', () => {
  it('a backend package that is not installed', () => {
    const cause = Object.assign(new Error("Cannot find module '@tensorflow/tfjs-backend-cpu' from 'x.js'"), {
      code: 'MODULE_NOT_FOUND',
    });
    const error = backendLoadError('cpu', cause);
    expect(error).toBeInstanceOf(UnsupportedError);
    expect(error.message).toBe(
      'the tfjs cpu backend (@tensorflow/tfjs-backend-cpu) is not installed. Fix: npm i -D @tensorflow/tfjs-backend-cpu@4.22.0',
    );
    expect(error.cause).toBe(cause);
  });

  it('a runner that cannot import ES modules (jest without --experimental-vm-modules) is not "not installed"', () => {
    const cause = Object.assign(
      new TypeError('A dynamic import callback was invoked without --experimental-vm-modules'),
      {
        code: 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG',
      },
    );
    const { message } = backendLoadError('wasm', cause);
    expect(message).not.toMatch(/not installed/);
    expect(message).toMatch(
      /failed to load: A dynamic import callback was invoked without --experimental-vm-modules\. Fix: .*--experimental-vm-modules/,
    );
  });

  it('another module missing inside the backend, or a broken backend, keeps its own message', () => {
    const cause = Object.assign(new Error("Cannot find module 'seedrandom'"), { code: 'MODULE_NOT_FOUND' });
    expect(backendLoadError('cpu', cause).message).toMatch(/failed to load: Cannot find module 'seedrandom'/);
  });

  it('loads the cpu backend in this CommonJS test run', async () => {
    expect(await ensureBackend('cpu')).toBe('cpu');
  });
});
