import { reportedCall } from '../autograd/call_trace.js';
import { record } from '../autograd/record.js';
import { backend, type FloatArray } from '../backend/index.js';
import { normalizeDim, numelOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { floats, requireFloat } from './tensor_args.js';

function softmaxImpl(x: Tensor, dim: number, log: boolean): Tensor {
  requireFloat(x, log ? 'logSoftmax' : 'softmax');
  const d = normalizeDim(dim, x.ndim);
  const outer = numelOf(x.shape.slice(0, d));
  const size = x.ndim === 0 ? 1 : x.shape[d];
  const inner = numelOf(x.shape.slice(d + 1));
  const out = Tensor.empty(x.shape, x.dtype);
  backend().softmax(floats(x), out.data as FloatArray, outer, size, inner, log);
  return record(log ? 'LogSoftmaxBackward0' : 'SoftmaxBackward0', out, [x], (g) => {
    const dx = Tensor.empty(x.shape, g.dtype);
    backend().softmaxBackward(floats(g), out.data as FloatArray, dx.data as FloatArray, outer, size, inner, log);
    return [dx];
  });
}

/**
 * exp(x) / sum(exp(x)) over `dim`.
 * @pytorch `torch.nn.functional.softmax`
 */
export function softmax(x: Tensor, dim: number): Tensor {
  return reportedCall('softmax', [x, dim], () => {
    return softmaxImpl(x, dim, false);
  });
}

/**
 * log(softmax(x)) over `dim`, computed stably.
 * @pytorch `torch.nn.functional.log_softmax`
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return reportedCall('logSoftmax', [x, dim], () => {
    return softmaxImpl(x, dim, true);
  });
}
