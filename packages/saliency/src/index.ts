/** @packageDocumentation Pruning-at-initialisation criteria for graphon-pai: random, magnitude, SNIP, GraSP and SynFlow, registered as plugins. */
export {};
