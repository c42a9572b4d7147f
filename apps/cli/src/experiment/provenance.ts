/**
 * Provenance of an experiment report, shared by every preset: the command that reproduces the
 * configuration, the versions of the CLI and tfjs-core, the engine (tfjs backend, GEMM provider) and Node.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setupEngine } from '../engine';
import { version } from '../version';

export interface Provenance {
  command: string;
  versions: Record<string, string>;
  engine: { backend: string; provider: string };
  node: string;
}

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

/** The report's closing line, e.g. `3 jobs; engine: tfjs wasm backend, …; Node 20.1.0. Versions: ….` */
export function provenanceLine(prov: Provenance, jobs: number): string {
  return `${jobs} jobs; engine: tfjs ${prov.engine.backend} backend, GEMM provider ${prov.engine.provider}; Node ${prov.node}. Versions: ${Object.entries(
    prov.versions,
  )
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}.`;
}
