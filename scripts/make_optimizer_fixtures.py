#!/usr/bin/python3
"""Writes PyTorch 1.13's trajectories for the optimizers beyond SGD and Adam (Debian's python3-torch).

usage: /usr/bin/python3 scripts/make_optimizer_fixtures.py test/fixtures

optimizers.json: a start p0 and 8 gradients; for each configuration the class, its options (the
keyword names as PyTorch spells them), the parameter after each step, and the state of the
parameter after the last step (tensors as lists, numbers as numbers). test/optimizers.test.ts
replays them in torchlit.
"""
import json, os, sys
import torch

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
g = torch.Generator().manual_seed(3)
p0 = torch.randn(7, generator=g)
grads = [torch.randn(7, generator=g) * (0.5 + i / 4) for i in range(8)]
configs = {
    'rmsprop': (torch.optim.RMSprop, dict(lr=0.01)),
    'rmsprop_all': (torch.optim.RMSprop, dict(lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.8, centered=True)),
    'rmsprop_momentum_maximize': (torch.optim.RMSprop, dict(lr=0.02, momentum=0.5, maximize=True)),
    'adagrad': (torch.optim.Adagrad, dict(lr=0.1)),
    'adagrad_all': (torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.5, eps=1e-8)),
    'adagrad_maximize': (torch.optim.Adagrad, dict(lr=0.1, maximize=True)),
    'adadelta': (torch.optim.Adadelta, dict()),
    'adadelta_all': (torch.optim.Adadelta, dict(lr=0.5, rho=0.8, eps=1e-5, weight_decay=0.1)),
    'adadelta_maximize': (torch.optim.Adadelta, dict(lr=0.5, maximize=True)),
    'adamax': (torch.optim.Adamax, dict()),
    'adamax_all': (torch.optim.Adamax, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    'adamax_maximize': (torch.optim.Adamax, dict(lr=0.01, maximize=True)),
    'nadam': (torch.optim.NAdam, dict()),
    'nadam_all': (torch.optim.NAdam, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, momentum_decay=0.01)),
    'radam': (torch.optim.RAdam, dict()),
    'radam_all': (torch.optim.RAdam, dict(lr=0.01, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1)),
}


def plain(v):
    if isinstance(v, torch.Tensor):
        return v.item() if v.numel() == 1 and v.ndim == 0 else v.reshape(-1).tolist()
    return v


out = {'p0': p0.tolist(), 'grads': [x.tolist() for x in grads], 'configs': {}}
for name, (cls, kw) in configs.items():
    p = torch.nn.Parameter(p0.clone())
    opt = cls([p], **kw)
    steps = []
    for grad in grads:
        p.grad = grad.clone()
        opt.step()
        steps.append(p.detach().tolist())
    state = {k: plain(v) for k, v in opt.state_dict()['state'][0].items()}
    out['configs'][name] = {'class': cls.__name__, 'options': {k: list(v) if isinstance(v, tuple) else v for k, v in kw.items()},
                            'steps': steps, 'state': state}
with open(os.path.join(out_dir, 'optimizers.json'), 'w') as f:
    json.dump(out, f)
print(len(configs), 'configurations')
