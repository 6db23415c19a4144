import { referenceBackend } from '../../reference/index.js';
import type { AdamHyper, Backend, FloatArray, SgdHyper } from '../../types.js';
import type { WasmContext } from './context.js';

/** Optimizer updates: SGD (momentum, Nesterov, weight decay) and Adam / AdamW. */
export function wasmOptim(ctx: WasmContext): Pick<Backend, 'sgdStep' | 'adamStep'> {
  const { k } = ctx;

  function sgdStep(param: FloatArray, grad: FloatArray, buf: FloatArray | null, first: boolean, h: SgdHyper): void {
    if (!ctx.resident(param, grad, buf)) return referenceBackend.sgdStep(param, grad, buf, first, h);
    k.sgdStep(
      param.byteOffset,
      grad.byteOffset,
      buf ? buf.byteOffset : 0,
      param.length,
      +first,
      h.lr,
      h.momentum,
      h.dampening,
      +h.nesterov,
      h.weightDecay,
    );
  }

  function adamStep(
    param: FloatArray,
    grad: FloatArray,
    m: FloatArray,
    v: FloatArray,
    vmax: FloatArray | null,
    h: AdamHyper,
  ): void {
    if (!ctx.resident(param, grad, m, v, vmax)) return referenceBackend.adamStep(param, grad, m, v, vmax, h);
    k.adamStep(
      param.byteOffset,
      grad.byteOffset,
      m.byteOffset,
      v.byteOffset,
      vmax ? vmax.byteOffset : 0,
      param.length,
      h.lr,
      h.beta1,
      h.beta2,
      h.eps,
      h.weightDecay,
      +h.decoupled,
      h.step,
    );
  }

  return { sgdStep, adamStep };
}
