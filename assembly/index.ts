export { packA, packB, gemm, packedASize, packedBSize } from './gemm';
export { im2col, packImageColsT, col2im } from './conv';
