#!/usr/bin/python3
"""Writes PyTorch 1.13's avg_pool2d and adaptive_avg_pool2d with their gradients (Debian's python3-torch).

usage: /usr/bin/python3 scripts/make_pool_fixtures.py test/fixtures

pools.json: for each call, the input, the options, the output and the gradient of sum(out * w).
"""
import json, os, sys
import torch, torch.nn.functional as F

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
torch.manual_seed(0)


def flat(t):
    return t.detach().reshape(-1).tolist()


CALLS = [
    ('avg_pool2d', (2, 3, 6, 6), {'kernel_size': 2}),
    ('avg_pool2d', (2, 3, 7, 5), {'kernel_size': 3, 'stride': 2}),
    ('avg_pool2d', (1, 2, 6, 6), {'kernel_size': 3, 'stride': 1, 'padding': 1}),
    ('avg_pool2d', (1, 2, 6, 6), {'kernel_size': 3, 'stride': 1, 'padding': 1, 'count_include_pad': False}),
    ('avg_pool2d', (1, 2, 6, 6), {'kernel_size': (2, 3), 'stride': (2, 1), 'padding': (1, 1), 'count_include_pad': False}),
    ('avg_pool2d', (1, 2, 6, 6), {'kernel_size': 2, 'divisor_override': 3}),
    ('avg_pool2d', (3, 6, 6), {'kernel_size': 2}),
    ('adaptive_avg_pool2d', (2, 3, 7, 7), {'output_size': 1}),
    ('adaptive_avg_pool2d', (2, 3, 7, 7), {'output_size': (2, 3)}),
    ('adaptive_avg_pool2d', (1, 2, 5, 8), {'output_size': 3}),
    ('adaptive_avg_pool2d', (1, 2, 8, 8), {'output_size': 4}),
    ('adaptive_avg_pool2d', (2, 5, 5), {'output_size': (5, 2)}),
]
cases = []
for dtype in [torch.float32, torch.float64]:
    for fn, shape, opts in CALLS:
        x = torch.randn(*shape, dtype=dtype, requires_grad=True)
        y = getattr(F, fn)(x, **opts)
        w = torch.randn(*y.shape, dtype=dtype)
        (y * w).sum().backward()
        cases.append({'fn': fn, 'shape': list(shape), 'options': opts, 'dtype': str(dtype).replace('torch.', ''),
                      'input': flat(x), 'output': flat(y), 'output_shape': list(y.shape), 'w': flat(w), 'grad': flat(x.grad)})
with open(os.path.join(out_dir, 'pools.json'), 'w') as f:
    json.dump(cases, f, separators=(',', ':'))
print(f'{len(cases)} cases')
