export { packA, packB, gemmPacked, packedASize, packedBSize } from './gemm';
export { packImageCols, packImageColsT, col2im } from './conv';
