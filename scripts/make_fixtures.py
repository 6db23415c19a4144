#!/usr/bin/python3
"""Writes the PyTorch parity fixtures for torchlit's tests (run with Debian's python3-torch).

usage: /usr/bin/python3 scripts/make_fixtures.py test/fixtures

For each tutorial model: its printed form, the weights PyTorch initialises with seed 0, one input
batch and targets, the output, the loss, every parameter gradient, and the parameters after one
and two SGD-momentum steps and one and two Adam steps (in float64). Models run in eval mode so dropout is the
identity. Each model writes NAME.json (metadata and an index into NAME.bin) and NAME.bin
(little-endian float32). reference.json holds optimizer traces, StepLR rates, random streams and printed tensors.
"""
import json, os, sys
import torch, torch.nn as nn, torch.nn.functional as F
from tutorial_models import Net, FashionMNISTModelV0, FashionMNISTModelV1, FashionMNISTModelV2, Network, mlp

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
os.makedirs(out_dir, exist_ok=True)


MODELS = {
    'net': (Net, F.nll_loss),
    'mlp': (mlp, F.cross_entropy),
    'fmnist-v0': (lambda: FashionMNISTModelV0(784, 10, 10), F.cross_entropy),
    'fmnist-v1': (lambda: FashionMNISTModelV1(784, 10, 10), F.cross_entropy),
    'tinyvgg': (lambda: FashionMNISTModelV2(1, 10, 10), F.cross_entropy),
    'lenet': (Network, F.cross_entropy),
}
BATCH = 4


class Writer:
    def __init__(self):
        self.index, self.chunks, self.offset = {}, [], 0

    def add(self, key, t):
        a = t.detach().contiguous().float().numpy().astype('<f4')
        self.index[key] = {'shape': list(t.shape), 'offset': self.offset}
        self.chunks.append(a.tobytes())
        self.offset += a.size

    def save(self, name, meta):
        with open(os.path.join(out_dir, name + '.bin'), 'wb') as f:
            f.write(b''.join(self.chunks))
        meta['tensors'] = self.index
        with open(os.path.join(out_dir, name + '.json'), 'w') as f:
            json.dump(meta, f, indent=1)


def train_steps(make, loss_fn, state, x, y, opt_factory, steps, dtype=torch.float32):
    model = make()
    model.load_state_dict(state)
    model.eval().to(dtype)
    x = x.to(dtype)
    opt = opt_factory(model.parameters())
    results = []
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
        results.append({k: v.detach().clone() for k, v in model.state_dict().items()})
    return results


for name, (make, loss_fn) in MODELS.items():
    torch.manual_seed(0)
    model = make()
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    x = torch.randn(BATCH, 1, 28, 28)
    y = torch.randint(0, 10, (BATCH,))
    model.eval()
    out = model(x)
    loss = loss_fn(out, y)
    loss.backward()
    w = Writer()
    w.add('input', x)
    w.add('output', out)
    for k, v in state.items():
        w.add('weights.' + k, v)
    for k, p in model.named_parameters():
        w.add('grad.' + k, p.grad)
    sgd = train_steps(make, loss_fn, state, x, y, lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.5), 2)
    # Adam divides each gradient by its own magnitude, which turns float32 rounding noise in tiny
    # gradients into full-size steps; its trace runs in float64 so that both sides are exact.
    adam = train_steps(make, loss_fn, state, x, y, lambda ps: torch.optim.Adam(ps, lr=0.01), 2, torch.float64)
    for i, sd in enumerate(sgd):
        for k, v in sd.items():
            w.add(f'sgd{i + 1}.{k}', v)
    for i, sd in enumerate(adam):
        for k, v in sd.items():
            w.add(f'adam{i + 1}.{k}', v)
    w.save(name, {'model': name, 'seed': 0, 'repr': str(model), 'target': y.tolist(), 'loss': loss.item(),
                  'params': [k for k, _ in model.named_parameters()]})

# Optimizer traces: one parameter, three steps with fixed gradients, for each option set.
torch.manual_seed(0)
p0 = torch.randn(7)
grads = [torch.randn(7) for _ in range(3)]
configs = {
    'sgd': (torch.optim.SGD, dict(lr=0.1)),
    'sgd_momentum': (torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
    'sgd_dampening_wd': (torch.optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.05)),
    'sgd_nesterov': (torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    'adam': (torch.optim.Adam, dict(lr=0.01)),
    'adam_wd_amsgrad': (torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1, amsgrad=True)),
    'adamw': (torch.optim.AdamW, dict(lr=0.01)),
    'adamw_amsgrad': (torch.optim.AdamW, dict(lr=0.02, weight_decay=0.2, amsgrad=True)),
    'sgd_maximize': (torch.optim.SGD, dict(lr=0.1, momentum=0.9, weight_decay=0.05, maximize=True)),
    'adam_maximize': (torch.optim.Adam, dict(lr=0.01, weight_decay=0.1, maximize=True)),
    'adamw_amsgrad_maximize': (torch.optim.AdamW, dict(lr=0.02, weight_decay=0.2, amsgrad=True, maximize=True)),
}
traces = {'p0': p0.tolist(), 'grads': [g.tolist() for g in grads], 'configs': {}}
for cname, (cls, kw) in configs.items():
    p = nn.Parameter(p0.clone())
    opt = cls([p], **kw)
    steps = []
    for g in grads:
        p.grad = g.clone()
        opt.step()
        steps.append(p.detach().tolist())
    traces['configs'][cname] = {'class': cls.__name__, 'options': kw, 'steps': steps}

# StepLR: learning rates over 7 epochs.
opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=1.0)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
lrs = []
for _ in range(7):
    opt.step()
    sched.step()
    lrs.append(sched.get_last_lr()[0])
traces['steplr'] = {'lr': 1.0, 'step_size': 2, 'gamma': 0.5, 'lrs': lrs}

# Printing: the exact text PyTorch shows for a few tensors.
torch.manual_seed(0)
prints = {
    'randn_2x3': (torch.randn(2, 3), None),
    'ints': (torch.tensor([1, 20, 300]), None),
    'int_floats': (torch.tensor([1., 2., 30.]), None),
    'sci': (torch.tensor([1e-5, 1.0, 12345.0]), None),
    'big': (torch.arange(2000, dtype=torch.float32).reshape(40, 50) / 7, None),
    'vector_wrap': (torch.linspace(-1, 1, 25), None),
    'bool': (torch.tensor([True, False]), None),
    'float64': (torch.tensor([0.5, 0.25], dtype=torch.float64), None),
    'requires_grad': (torch.tensor([[0.0877, 0.0452]], requires_grad=True), None),
    'scalar': (torch.tensor(3.25), None),
}
traces['prints'] = {k: {'values': t.flatten().tolist(), 'shape': list(t.shape), 'dtype': str(t.dtype).replace('torch.', ''),
                        'requires_grad': t.requires_grad, 'text': str(t)} for k, (t, _) in prints.items()}
x = torch.tensor([[1.5, -2.0]], requires_grad=True)
traces['prints']['grad_fn'] = {'values': [1.5, -2.0], 'shape': [1, 2], 'dtype': 'float32', 'requires_grad': True,
                               'text': str(x * 2)}
# Random streams after manual_seed(1).
random = {}
torch.manual_seed(1)
random['rand'] = torch.rand(20).tolist()
random['randn_small'] = torch.randn(5).tolist()
random['randn_big'] = torch.randn(37).tolist()
random['randint'] = torch.randint(3, 17, (20,)).tolist()
random['randperm'] = torch.randperm(30).tolist()
random['rand64'] = torch.rand(5, dtype=torch.float64).tolist()
traces['random'] = random
with open(os.path.join(out_dir, 'reference.json'), 'w') as f:
    json.dump(traces, f, indent=1)
print('wrote fixtures to', out_dir)
