#!/usr/bin/python3
"""Writes PyTorch 1.13's weight averaging (run with Debian's python3-torch).

usage: /usr/bin/python3 scripts/make_swa_fixtures.py test/fixtures

swa.json: a small conv net with BatchNorm; three sets of weights (and running statistics) given in
turn to AveragedModel.update_parameters: SWA's running mean, an EMA (decay 0.9), and SWA with
use_buffers; then update_bn over three batches of a loader.
"""
import json, os, sys
import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel, update_bn

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
torch.manual_seed(0)


def net():
    return nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 4 * 4, 3))


def flat(sd):
    return {k: v.reshape(-1).tolist() for k, v in sd.items()}


model = net()
snapshots = []
for _ in range(3):
    with torch.no_grad():
        for t in list(model.parameters()):
            t.copy_(torch.randn_like(t))
        bn = model[1]
        bn.running_mean.copy_(torch.randn(2))
        bn.running_var.copy_(torch.rand(2) + 0.5)
        bn.num_batches_tracked.fill_(torch.randint(1, 9, ()).item())
    snapshots.append(flat(model.state_dict()))

ema = lambda avg, p, n: 0.9 * avg + (1 - 0.9) * p
results = {}
for name, kwargs in [('swa', {}), ('ema', {'avg_fn': ema}), ('swa_buffers', {'use_buffers': True})]:
    model.load_state_dict({k: torch.tensor(v).reshape(model.state_dict()[k].shape).to(model.state_dict()[k].dtype)
                           for k, v in snapshots[0].items()})
    averaged = AveragedModel(model, **kwargs)
    steps = []
    for snap in snapshots:
        model.load_state_dict({k: torch.tensor(v).reshape(model.state_dict()[k].shape).to(model.state_dict()[k].dtype)
                               for k, v in snap.items()})
        averaged.update_parameters(model)
        steps.append(flat(averaged.state_dict()))
    results[name] = steps

batches = [torch.randn(4, 1, 6, 6) for _ in range(3)]
averaged = AveragedModel(model)
averaged.update_parameters(model)
update_bn([(b, torch.zeros(4)) for b in batches], averaged)
results['update_bn'] = {'batches': [b.reshape(-1).tolist() for b in batches], 'state': flat(averaged.state_dict()),
                        'training': averaged.training, 'momentum': averaged.module[1].momentum}
results['snapshots'] = snapshots
with open(os.path.join(out_dir, 'swa.json'), 'w') as f:
    json.dump(results, f, separators=(',', ':'))
print('swa.json written')
