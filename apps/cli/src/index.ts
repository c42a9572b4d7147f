/** @packageDocumentation The graphon-pai command line, usable as a library (`runCli`). */
export {};
