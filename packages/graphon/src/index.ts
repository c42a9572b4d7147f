/** @packageDocumentation Bipartite graphons: step graphons, estimators (histogram, SAS, USVT, network histogram), Factorised Saliency Model limits, sampling and figures. */
export {};
