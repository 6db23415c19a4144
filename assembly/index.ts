export { packA, packB, gemm, gemmNT, packedASize, packedBSize } from './gemm';
export { im2col, col2im } from './conv';
export { maxPoolForward, maxPoolBackward } from './pool';
