export { packA, packB, gemm, gemmNT, packedASize, packedBSize } from './gemm';
export { im2col, col2im } from './conv';
export { maxPoolForward, maxPoolBackward } from './pool';
export { binary, binaryRows, binaryCols, relu, channelSums } from './elementwise';
export {
  convForwardRange,
  convBackwardInputRange,
  convBackwardWeightRange,
  convBackwardInputDirectRange,
  permuteTaps,
} from './ranges';
export { packDirectWeights, directScratchSize, convDirectRange } from './direct';
export { softmaxRows, softmaxRowsBackward, nllRows, nllRowsBackward } from './rows';
export { sgdStep, adamStep } from './optim';
export {
  packWinogradWeights,
  winogradScratchSize,
  convWinogradRange,
  winogradWeightScratchSize,
  convWinogradWeightRange,
} from './winograd';
export { convWeightDirectRange, weightDirectScratchFloats } from './weight';
export {
  batchNormStatsRange,
  batchNormApplyRange,
  batchNormBackwardRange,
  batchNormPartialSums,
  batchNormGradientSums,
  batchNormGradInputSplit,
} from './batchnorm';
