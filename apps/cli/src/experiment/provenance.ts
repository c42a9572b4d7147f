/**
 * The provenance the CLI records in an experiment report (`@graphon-pai/experiments`' `Provenance`): the
 * command that reproduces the configuration, the versions of the CLI and tfjs-core, the engine it set up
 * (tfjs backend, GEMM provider) and Node.
 */
import type { Provenance } from '@graphon-pai/experiments';
import * as tf from '@tensorflow/tfjs-core';
import { setupEngine } from '../engine';
import { version } from '../version';

/** Sets up the engine (idempotent) and records the provenance of a run of `command`. */
export async function runProvenance(command: string): Promise<Provenance> {
  const engine = await setupEngine();
  return {
    command,
    versions: { '@graphon-pai/cli': version, '@tensorflow/tfjs-core': tf.version_core },
    engine,
    node: process.versions.node,
  };
}
