/**
 * Provenance of an experiment report, shared by every preset: the command that reproduces the
 * configuration, the versions of the tools, the engine (tfjs backend, GEMM provider) and Node. The caller
 * collects it (the CLI records its own version and the engine it set up); a report only prints it.
 */
export interface Provenance {
  command: string;
  versions: Record<string, string>;
  engine: { backend: string; provider: string };
  node: string;
}

/** The report's closing line, e.g. `3 jobs; engine: tfjs wasm backend, …; Node 20.1.0. Versions: ….` */
export function provenanceLine(prov: Provenance, jobs: number): string {
  return `${jobs} jobs; engine: tfjs ${prov.engine.backend} backend, GEMM provider ${prov.engine.provider}; Node ${prov.node}. Versions: ${Object.entries(
    prov.versions,
  )
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}.`;
}
