/** @packageDocumentation Networks on tfjs for graphon-pai: MLPs, initialisations, exact gradients and Hessian-vector products, MNIST and synthetic data. */
export {
  ACTIVATIONS,
  type Activation,
  activate,
  activateScalar,
  activationDerivative,
  activationSecondDerivative,
  checkActivation,
} from './activations';
export {
  type ConvGradientTape,
  type ConvTape,
  convBackwardTape,
  convEvaluateLoss,
  convForwardTape,
  convHessianVectorProduct,
  convHvpTape,
  convLossGradients,
  convPredict,
  type ConvSweep,
  convBackwardSweep,
  convForwardSweep,
  type SweepOptions,
} from './conv/conv-passes';
export {
  ConvNet,
  type ConvNetLayer,
  type ConvNetModule,
  type ConvNetOptions,
  type StateDictEntry,
} from './conv/conv-net';
export {
  CONVNET_FORMAT,
  encodeConvNetSafetensors,
  loadConvNetSafetensors,
  saveConvNetSafetensors,
} from './conv/conv-safetensors';
export {
  CONV_NETS,
  type ConvGroupSpec,
  type ConvModuleSpec,
  type ConvNetName,
  type ConvNetSpec,
  formatConvNetSpec,
  parseConvNetSpec,
  scaleConvNetWidth,
} from './conv/conv-spec';
export {
  type Conv2dGeometry,
  type Conv2dGeometryOptions,
  col2imAdd,
  conv2dBackward,
  conv2dChunk,
  conv2dForward,
  conv2dGeometry,
  conv2dInputGradient,
  conv2dPatchSize,
  conv2dWeightGradient,
  im2col,
} from './conv/conv2d';
export {
  type Pool2dGeometry,
  type Pool2dGeometryOptions,
  type PoolKind,
  pool2dApply,
  pool2dBackward,
  pool2dForward,
  pool2dGeometry,
} from './conv/pool2d';
export { type Batch, checkBatch, makeBatch, selectRows, sliceBatch } from './data/batch';
export { type BinaryTask, type BinaryTaskOptions, binaryTask } from './data/binary-task';
export {
  decodeIdx,
  IDX_DEFAULT_MAX_BYTES,
  type IdxArray,
  type IdxDType,
  type ReadIdxOptions,
  readIdx,
} from './data/idx';
export {
  type ClassificationBytes,
  type LoadMnistOptions,
  loadIdxClassification,
  loadMnist,
  MNIST_CLASSES,
  MNIST_FEATURES,
  MNIST_SPLIT_SIZES,
  type MnistNormalization,
  type MnistSplit,
  type MnistSubsetOptions,
  mnistBytes,
  mnistFiles,
  mnistSubset,
  readIdxClassification,
} from './data/mnist';
export {
  gaussianInputs,
  type MirroredRegressionOptions,
  type MirroredRegressionTask,
  mirroredRegressionTask,
  type ScaleProfile,
  type SyntheticTask,
  type SyntheticTaskOptions,
  syntheticTask,
} from './data/synthetic';
export {
  activationGain,
  checkInitScheme,
  INIT_KINDS,
  type InitKind,
  type InitScheme,
  initBias,
  initWeights,
} from './init';
export {
  checkLoss,
  LOSSES,
  type LossName,
  type LossResult,
  lossAndOutputGradient,
  outputGradientDirectional,
  targetTensor,
} from './losses';
export {
  checkNetworkMask,
  type DenseLayer,
  type LayerParameters,
  Mlp,
  type MlpOptions,
  type Parametrization,
  type ResolvedMlpConfig,
} from './mlp';
export {
  type CreateNetworkOptions,
  createNetwork,
  isConvNetFile,
  type LoadNetworkOptions,
  loadNetworkSafetensors,
  type NetworkSpec,
  networkSpecString,
  networkWithParameters,
  parseNetworkSpec,
  saveNetworkSafetensors,
} from './network-files';
export {
  checkNetwork,
  checkNetworkBatch,
  isNetwork,
  type Network,
  networkGradients,
  networkHessianVectorProduct,
  networkLoss,
  networkPredict,
} from './network';
export {
  backwardTape,
  checkBatchForNetwork,
  evaluateLoss,
  forwardTape,
  forwardTapeUnchecked,
  type Gradients,
  type GradientTape,
  hessianVectorProduct,
  hvpTape,
  lossGradients,
  type ParameterDirection,
  type PassNetwork,
  type PassOptions,
  predict,
  resolvePassOptions,
  type Tape,
} from './passes';
export { encodeMlpSafetensors, loadMlpSafetensors, MLP_FORMAT, saveMlpSafetensors } from './safetensors';
export { tidy } from './tidy';
export {
  type Evaluation,
  MaskedTrainer,
  type StepReport,
  type TrainerOptions,
} from './train/masked-trainer';
export { ConvTrainer, type TrainConvNetOptions, trainConvNet } from './train/conv-trainer';
export { type HostParameters, Trainer, type TrainingPasses } from './train/trainer';
export { type AdamStep, createKernelArena, type KernelArena } from './train/train-kernels';
export { type EpochSettings, runEpoch } from './train/epoch';
export {
  networkDensity,
  type TrainNetworkOptions,
  type TrainNetworkResult,
  trainNetwork,
} from './train-network';
export {
  type AdamOptions,
  OPTIMIZERS,
  type OptimizerName,
  type OptimizerOptions,
  optimizerBuffers,
  optimizerStep,
  type ParameterState,
  parameterState,
  parameterStates,
  type ResolvedOptimizer,
  resolveOptimizer,
  type SgdOptions,
} from './train/optimizers';
export {
  checkSchedule,
  type LearningRateSchedule,
  learningRateAt,
  type SchedulePosition,
} from './train/schedules';
export {
  type EpochRecord,
  type EpochTrainer,
  type TrainMlpOptions,
  type TrainMlpResult,
  type TrainRunOptions,
  trainEpochs,
  trainMlp,
} from './train/train-mlp';
export { WeightedNetwork } from './weighted-network';
