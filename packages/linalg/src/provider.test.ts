import {
  availableProviders,
  PROVIDER_ENV,
  provider,
  providerUnavailableReason,
  setProvider,
} from './provider';

describe('provider selection', () => {
  const initial = provider();
  afterAll(() => setProvider(initial));

  test('the dependency-free providers always load; the active one is available', () => {
    const names = availableProviders();
    expect(names).toEqual(expect.arrayContaining(['wasm', 'js']));
    expect(names).toContain(provider());
    expect(providerUnavailableReason('js')).toBeUndefined();
  });

  test('the environment variable chooses the provider at load time', () => {
    const names = availableProviders();
    for (const name of names) {
      jest.isolateModules(() => {
        process.env[PROVIDER_ENV] = name;
        try {
          const fresh = require('./provider') as typeof import('./provider');
          expect(fresh.provider()).toBe(name);
        } finally {
          delete process.env[PROVIDER_ENV];
        }
      });
    }
  });

  test('a misspelt provider in the environment is a typed error naming the variable', () => {
    jest.isolateModules(() => {
      process.env[PROVIDER_ENV] = 'blas';
      try {
        const fresh = require('./provider') as typeof import('./provider');
        expect(() => fresh.provider()).toThrow(/GRAPHON_PAI_LINALG_PROVIDER must be one of 'onnxruntime'/);
      } finally {
        delete process.env[PROVIDER_ENV];
      }
    });
  });

  test('setProvider switches and rejects unknown names', () => {
    setProvider('js');
    expect(provider()).toBe('js');
    expect(() => setProvider('cuda' as 'js')).toThrow(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }),
    );
  });
});
