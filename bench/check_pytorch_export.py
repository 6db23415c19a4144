"""Checks torchlit's PyTorch export: for each DIR, imports DIR/model.py, loads DIR/model.safetensors
(strict), compares the eval outputs on DIR/check.safetensors' input with torchlit's, and takes one
SGD step in training mode. One JSON line per DIR.

usage: /usr/bin/python3 bench/check_pytorch_export.py DIR...
"""
import importlib.util
import json
import os
import sys

import torch
import torch.nn.functional as F

for d in sys.argv[1:]:
    sys.path.insert(0, d)
    spec = importlib.util.spec_from_file_location(f'export_{os.path.basename(d)}', os.path.join(d, 'model.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    classes = [v for v in vars(mod).values() if isinstance(v, type) and issubclass(v, torch.nn.Module) and v.__module__ == mod.__name__]
    model = classes[0]()
    missing = model.load_state_dict(mod.load_file(os.path.join(d, 'model.safetensors')), strict=True)
    check = mod.load_file(os.path.join(d, 'check.safetensors'))
    model.eval()
    with torch.no_grad():
        out = model(check['input'])
    want = check['output']
    rel = ((out - want).abs() / want.abs().clamp(min=1)).max().item() if out.shape == want.shape else float('inf')
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss = model(check['input']).float().pow(2).mean()
    loss.backward()
    opt.step()
    print(json.dumps({'model': os.path.basename(d), 'class': classes[0].__name__, 'shape': list(out.shape),
                      'max_rel_diff': rel, 'within_1e-5': rel <= 1e-5, 'train_step': bool(torch.isfinite(loss).item())}))
    sys.path.pop(0)
    sys.modules.pop('safetensors_fallback', None)
