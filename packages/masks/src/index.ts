/** @packageDocumentation Exact-density masks from saliency scores: selection, scopes, allocations (ERK, ...), iterative schedules and mask statistics. */
export {};
