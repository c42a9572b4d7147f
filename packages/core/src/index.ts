/**
 * @packageDocumentation
 * Shared vocabulary of graphon-pai: bit-packed masks, score maps, step graphons, errors, seeded RNG,
 * safetensors/npy files and the plugin registry.
 */
export {
  describeValue,
  type ErrorCode,
  type ErrorOptions,
  FormatError,
  GraphonPaiError,
  InvalidArgumentError,
  isUserError,
  NumericalError,
  PluginError,
  UnsupportedError,
} from './errors';
