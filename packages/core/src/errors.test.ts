import {
  FormatError,
  GraphonPaiError,
  InvalidArgumentError,
  isUserError,
  NumericalError,
  PluginError,
  UnsupportedError,
} from './errors';

describe('errors', () => {
  it('carry stable codes, the subclass name and the fix in the message', () => {
    const e = new InvalidArgumentError('density', 1.5, 'a number in (0, 1] (the kept fraction)', {
      fix: 'pass 0.1 to keep 10 % of the weights',
    });
    expect(e).toBeInstanceOf(GraphonPaiError);
    expect(e.code).toBe('E_INVALID_ARGUMENT');
    expect(e.name).toBe('InvalidArgumentError');
    expect(e.argument).toBe('density');
    expect(e.message).toBe(
      'density must be a number in (0, 1] (the kept fraction); got 1.5. Fix: pass 0.1 to keep 10 % of the weights',
    );
    expect(new FormatError('header length 9e9 exceeds the file size', { source: 'm.safetensors' }).message).toBe(
      'm.safetensors: header length 9e9 exceeds the file size',
    );
    expect(new NumericalError('x').code).toBe('E_NUMERICAL');
    expect(new UnsupportedError('x').code).toBe('E_UNSUPPORTED');
    expect(new PluginError('x').code).toBe('E_PLUGIN');
  });

  it('describe large values briefly', () => {
    expect(new InvalidArgumentError('x', new Float32Array(10_000), 'short').message).toBe(
      'x must be short; got Float32Array(10000)',
    );
    expect(new InvalidArgumentError('x', 'y'.repeat(200), 'short').message).toMatch(/got "y{77}\.\.\."$/);
  });

  it('classify user-actionable errors for the CLI exit code', () => {
    expect(isUserError(new FormatError('bad'))).toBe(true);
    expect(isUserError(new TypeError('bug'))).toBe(false);
  });
});
