/** @packageDocumentation Expressivity and generalisation calculators for pruned networks: active coordinates, UAT condition, Graphon-NTK, generalisation bound, spectra. */
export {};
