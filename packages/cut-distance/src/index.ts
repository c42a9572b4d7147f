/** @packageDocumentation Cut norm and cut distance with certified lower and upper bounds: exact, SDP (Alon-Naor / Burer-Monteiro) and local search; weak regularity. */
export {};
