/** @packageDocumentation Conformance suite for graphon-pai criteria and third-party pruner plugins, plus numeric jest matchers. */
export {};
