// Folding: a BatchNormalization whose input only a Conv reads becomes part of that Conv's weights,
// W' = W · γ / √(var + ε) per output channel and b' = (b - mean) · γ / √(var + ε) + β.
import type { OnnxGraph } from './graph.js';

function floatsOf(g: OnnxGraph, name: string): Float32Array {
  const t = g.initializers.get(name);
  if (!t?.floats) throw new Error(`exportOnnx: foldBatchNorm: ${name} is not a float constant`);
  return t.floats;
}

/** Folds every BatchNormalization that directly follows a Conv whose output nothing else reads. */
export function foldBatchNorms(g: OnnxGraph): void {
  for (const bn of [...g.nodes]) {
    if (bn.op !== 'BatchNormalization') continue;
    const x = bn.inputs[0];
    const conv = g.nodes.find((n) => n.op === 'Conv' && n.outputs[0] === x);
    if (!conv || g.nodes.filter((n) => n.inputs.includes(x)).length !== 1) continue;
    const [gamma, beta, mean, variance] = bn.inputs.slice(1).map((name) => floatsOf(g, name));
    const eps = bn.attributes?.epsilon && 'float' in bn.attributes.epsilon ? bn.attributes.epsilon.float : 1e-5;
    const weightName = conv.inputs[1];
    const weight = floatsOf(g, weightName);
    const channels = gamma.length;
    const perChannel = weight.length / channels;
    const bias = conv.inputs[2] ? floatsOf(g, conv.inputs[2]) : new Float32Array(channels);
    const w = new Float32Array(weight.length);
    const b = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      const scale = gamma[c] / Math.sqrt(variance[c] + eps);
      for (let i = 0; i < perChannel; i++) w[c * perChannel + i] = weight[c * perChannel + i] * scale;
      b[c] = (bias[c] - mean[c]) * scale + beta[c];
    }
    const dims = g.initializers.get(weightName)!.dims;
    conv.inputs = [
      conv.inputs[0],
      g.floats(`${weightName}.folded`, dims, w),
      g.floats(`${bn.inputs[1]}.folded_bias`, [channels], b),
    ];
    g.nodes.splice(g.nodes.indexOf(bn), 1);
    const [from, to] = [bn.outputs[0], conv.outputs[0]];
    for (const n of g.nodes) n.inputs = n.inputs.map((i) => (i === from ? to : i));
    for (const [t, v] of g.values) if (v === from) g.values.set(t, to);
  }
}
