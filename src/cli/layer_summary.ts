import { noGrad } from '../autograd/grad_mode.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { className } from '../util/class_name.js';

export interface LayerRow {
  name: string;
  type: string;
  /** Nesting depth: 0 for the model's own children. */
  depth: number;
  outputShape: number[];
  /** Parameters of this module itself and its children. */
  params: number;
}

/**
 * Runs `input` through `model` in eval mode and records each submodule's output shape in the order
 * the modules are entered (a container before its layers), as torchinfo's summary table.
 */
export function layerSummary(model: Module, input: Tensor): { rows: LayerRow[]; output: Tensor } {
  const rows: LayerRow[] = [];
  const restore: (() => void)[] = [];
  for (const [name, m] of model.namedModules()) {
    if (m === model) continue;
    const original = m.forward.bind(m);
    const params = [...m.parameters()].reduce((a, p) => a + p.numel(), 0);
    m.forward = (...args: Tensor[]) => {
      const row: LayerRow = {
        name,
        type: className(m),
        depth: name.split('.').length - 1,
        outputShape: [],
        params,
      };
      rows.push(row);
      const out = original(...args);
      row.outputShape = [...out.shape];
      return out;
    };
    restore.push(() => delete (m as Partial<Module>).forward);
  }
  const wasTraining = model.training;
  model.eval();
  try {
    const output = noGrad(() => model.forward(input));
    return { rows, output };
  } finally {
    for (const r of restore) r();
    model.train(wasTraining);
  }
}
