#!/usr/bin/python3
"""Writes PyTorch 1.13's activations and their gradients (run with Debian's python3-torch).

usage: /usr/bin/python3 scripts/make_activation_fixtures.py test/fixtures

activations.json: for each function and options, both dtypes: the input (random values, with 0,
large values of both signs and NaN), the output, and the gradient of output.sum().
"""
import json, math, os, sys
import torch, torch.nn.functional as F

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
torch.manual_seed(0)


def flat(t):
    return [None if math.isnan(v) else v for v in t.detach().reshape(-1).tolist()]


FUNCTIONS = {
    'sigmoid': (torch.sigmoid, [{}]),
    'tanh': (torch.tanh, [{}]),
    'leaky_relu': (F.leaky_relu, [{}, {'negative_slope': 0.2}]),
    'elu': (F.elu, [{}, {'alpha': 0.5}]),
    'silu': (F.silu, [{}]),
    'softplus': (F.softplus, [{}, {'beta': 2.0, 'threshold': 5.0}]),
    'hardtanh': (F.hardtanh, [{}, {'min_val': -2.0, 'max_val': 0.5}]),
    'relu6': (F.relu6, [{}]),
    'hardsigmoid': (F.hardsigmoid, [{}]),
    'hardswish': (F.hardswish, [{}]),
}
cases = []
for name, (fn, option_sets) in FUNCTIONS.items():
    for opts in option_sets:
        for dtype in [torch.float32, torch.float64]:
            base = torch.cat([torch.randn(14, dtype=torch.float64) * 4, torch.tensor([0.0, 30.0, -30.0, 1e-8, 7.5, -7.5, float('nan')], dtype=torch.float64)])
            x = base.to(dtype).requires_grad_()
            y = fn(x, **opts)
            y.sum().backward()
            cases.append({'fn': name, 'options': opts, 'dtype': str(dtype).replace('torch.', ''), 'input': flat(x),
                          'output': flat(y), 'grad': flat(x.grad)})
with open(os.path.join(out_dir, 'activations.json'), 'w') as f:
    json.dump(cases, f, separators=(',', ':'))
print(f'{len(cases)} cases')
