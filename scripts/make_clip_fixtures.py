#!/usr/bin/python3
"""Writes PyTorch 1.13's clip_grad_norm_ and clip_grad_value_ (run with Debian's python3-torch).

usage: /usr/bin/python3 scripts/make_clip_fixtures.py test/fixtures

clip_grad.json: gradients before, the returned total norm, and the gradients after.
"""
import json, os, sys
import torch

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
torch.manual_seed(0)
cases = []
for dtype in [torch.float32, torch.float64]:
    for max_norm, norm_type in [(1.0, 2.0), (0.5, 1.0), (0.3, float('inf')), (100.0, 2.0), (2.0, 3.0)]:
        ps = [torch.nn.Parameter(torch.randn(*s, dtype=dtype)) for s in [(3, 4), (5,), (2, 2, 2)]]
        grads = [torch.randn_like(p) for p in ps]
        for p, g in zip(ps, grads):
            p.grad = g.clone()
        total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
        cases.append({'dtype': str(dtype).replace('torch.', ''), 'max_norm': max_norm,
                      'norm_type': 'inf' if norm_type == float('inf') else norm_type,
                      'grads': [g.reshape(-1).tolist() for g in grads], 'shapes': [list(g.shape) for g in grads],
                      'total': total.item(), 'clipped': [p.grad.reshape(-1).tolist() for p in ps]})
    ps = [torch.nn.Parameter(torch.randn(6, dtype=dtype))]
    g = torch.randn(6, dtype=dtype) * 3
    ps[0].grad = g.clone()
    torch.nn.utils.clip_grad_value_(ps, 1.5)
    cases.append({'dtype': str(dtype).replace('torch.', ''), 'clip_value': 1.5, 'grads': [g.tolist()], 'shapes': [[6]],
                  'clipped': [ps[0].grad.tolist()]})
with open(os.path.join(out_dir, 'clip_grad.json'), 'w') as f:
    json.dump(cases, f, separators=(',', ':'))
print(f'{len(cases)} cases')
