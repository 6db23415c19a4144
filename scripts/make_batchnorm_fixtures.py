#!/usr/bin/python3
"""Writes PyTorch 1.13's BatchNorm1d/2d behaviour (run with Debian's python3-torch).

usage: /usr/bin/python3 scripts/make_batchnorm_fixtures.py test/fixtures

batchnorm.json: for each configuration, the printed module, its state_dict keys, two train-mode
forward passes (output, gradients of input, weight and bias for sum(out * w_out)), the running
statistics after them, and an eval-mode forward pass.
"""
import json, os, sys
import torch, torch.nn as nn

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'


def flat(t):
    return t.detach().reshape(-1).tolist()


cases = []
CONFIGS = [
    ('BatchNorm2d', (4, 3, 5, 5), {}),
    ('BatchNorm2d', (2, 3, 4, 4), {'momentum': None}),
    ('BatchNorm2d', (4, 3, 3, 3), {'affine': False, 'eps': 1e-3}),
    ('BatchNorm2d', (4, 3, 3, 3), {'track_running_stats': False}),
    ('BatchNorm1d', (6, 4), {'momentum': 0.3}),
    ('BatchNorm1d', (5, 4, 3), {}),
]
for dtype in [torch.float32, torch.float64]:
    for cls, shape, opts in CONFIGS:
        torch.manual_seed(0)
        bn = getattr(nn, cls)(shape[1], **opts).to(dtype)
        if bn.affine:
            with torch.no_grad():
                bn.weight.copy_(torch.randn(shape[1], dtype=dtype))
                bn.bias.copy_(torch.randn(shape[1], dtype=dtype))
        xs = [torch.randn(*shape, dtype=dtype) * 3 + 1 for _ in range(2)]
        w_out = torch.randn(*shape, dtype=dtype)
        steps = []
        for x in xs:
            x = x.clone().requires_grad_()
            if bn.affine:
                bn.weight.grad = None
                bn.bias.grad = None
            y = bn(x)
            (y * w_out).sum().backward()
            steps.append({'input': flat(x), 'output': flat(y), 'grad_input': flat(x.grad),
                          'grad_weight': flat(bn.weight.grad) if bn.affine else None,
                          'grad_bias': flat(bn.bias.grad) if bn.affine else None})
        bn.eval()
        xe = torch.randn(*shape, dtype=dtype)
        cases.append({'class': cls, 'shape': list(shape), 'options': opts, 'dtype': str(dtype).replace('torch.', ''),
                      'repr': repr(bn), 'keys': list(bn.state_dict().keys()),
                      'weight': flat(bn.weight) if bn.affine else None, 'bias': flat(bn.bias) if bn.affine else None,
                      'w_out': flat(w_out), 'steps': steps,
                      'running_mean': flat(bn.running_mean) if bn.running_mean is not None else None,
                      'running_var': flat(bn.running_var) if bn.running_var is not None else None,
                      'num_batches_tracked': bn.num_batches_tracked.item() if bn.num_batches_tracked is not None else None,
                      'eval_input': flat(xe), 'eval_output': flat(bn(xe))})
with open(os.path.join(out_dir, 'batchnorm.json'), 'w') as f:
    json.dump(cases, f, separators=(',', ':'))
print(f'{len(cases)} cases')
