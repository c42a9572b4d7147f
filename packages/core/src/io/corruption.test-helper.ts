/** Test-only helper: the corruption fuzz property every tensor-file decoder must satisfy. Not part of the package. */
import fc from 'fast-check';
import { GraphonPaiError } from '../errors';

/**
 * Truncates `valid` at a random length and overwrites up to six random bytes; `decode` must then either succeed
 * or throw a typed {@link GraphonPaiError}, never anything else (1500 runs).
 */
export function expectCorruptionToThrowOnlyTypedErrors(
  valid: Uint8Array,
  decode: (bytes: Uint8Array) => unknown,
): void {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 6,
      }),
      fc.nat(valid.length),
      (edits, cut) => {
        const bytes = valid.slice(0, Math.max(cut, 1));
        for (const [pos, value] of edits) if (pos < bytes.length) bytes[pos] = value;
        try {
          decode(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(GraphonPaiError);
        }
      },
    ),
    { numRuns: 1500 },
  );
}
