#!/usr/bin/python3
"""Writes safetensors files saved by Python's safetensors for torchlit's checkpoint tests.

usage: PYTHONPATH=DIR_WITH_SAFETENSORS /usr/bin/python3 scripts/make_safetensors_fixtures.py test/fixtures
(python3-torch from Debian; the safetensors wheel installed with pip --target DIR)

net_seed0.safetensors: the MNIST tutorial's Net as PyTorch initialises it with seed 0 (the weights in net.json).
dtypes.safetensors: one small tensor of each dtype torchlit reads, with __metadata__.
"""
import os, sys
import torch
from safetensors.torch import save_file
from tutorial_models import Net

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'

torch.manual_seed(0)
save_file(Net().state_dict(), os.path.join(out_dir, 'net_seed0.safetensors'))
save_file({
    'f64': torch.tensor([1.5, -2.25], dtype=torch.float64),
    'f32': torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4,
    'f16': torch.tensor([0.5, -3.0, 65504.0, 1e-7], dtype=torch.float16),
    'bf16': torch.tensor([1.0, -0.15625, 3e38], dtype=torch.bfloat16),
    'i64': torch.tensor([-(2 ** 40), 7], dtype=torch.int64),
    'i32': torch.tensor([-5, 2 ** 30], dtype=torch.int32),
    'i8': torch.tensor([-128, 127], dtype=torch.int8),
    'u8': torch.tensor([0, 255], dtype=torch.uint8),
    'bool': torch.tensor([True, False, True]),
    'scalar': torch.tensor(3.0),
    'empty': torch.zeros(0, 4),
}, os.path.join(out_dir, 'dtypes.safetensors'), metadata={'format': 'pt', 'note': 'made by make_safetensors_fixtures.py'})
print('wrote net_seed0.safetensors and dtypes.safetensors to', out_dir)
