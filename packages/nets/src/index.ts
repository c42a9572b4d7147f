/** @packageDocumentation Networks on tfjs for graphon-pai: MLPs, initialisations, exact gradients and Hessian-vector products, MNIST and synthetic data. */
export {};
