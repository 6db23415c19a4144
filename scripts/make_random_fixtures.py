#!/usr/bin/python3
"""Writes PyTorch 1.13's random streams over sequences of calls (run with Debian's python3-torch).

usage: /usr/bin/python3 scripts/make_random_fixtures.py test/fixtures

random_streams.json: for each named sequence, the values each call returned, in order, so the
tests check that torchlit draws the same numbers, the same number of times, as PyTorch.
"""
import json, os, sys
import torch, torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
seqs = {}


def vals(t):
    return t.detach().reshape(-1).tolist()


torch.manual_seed(0)
seqs['randn_small_calls'] = [vals(torch.randn(1)), vals(torch.randn(1)), vals(torch.randn(3)), vals(torch.rand(2))]

torch.manual_seed(0)
seqs['randn_float64'] = [vals(torch.randn(5, dtype=torch.float64)), vals(torch.randn(20, dtype=torch.float64)),
                         vals(torch.randn(33, dtype=torch.float64)), vals(torch.rand(2))]

torch.manual_seed(1)
seqs['randn_mixed_sizes'] = [vals(torch.randn(1)), vals(torch.randn(16)), vals(torch.randn(1)), vals(torch.randn(17)),
                             vals(torch.randn(2, dtype=torch.float64)), vals(torch.randn(1))]

torch.manual_seed(2)
a, b, c = torch.empty(5), torch.empty(5), torch.empty(20)
torch.nn.init.normal_(a)
torch.nn.init.normal_(b, 1.5, 0.5)
torch.nn.init.normal_(c)
seqs['init_normal'] = [vals(a), vals(b), vals(c), vals(torch.rand(1))]

for dtype in [torch.float32, torch.float64]:
    name = str(dtype).replace('torch.', '')
    torch.manual_seed(3)
    seqs[f'dropout_{name}'] = [vals(F.dropout(torch.ones(37, dtype=dtype), 0.3, True)),
                               vals(F.dropout2d(torch.ones(2, 5, 3, 3, dtype=dtype), 0.5, True)),
                               vals(F.dropout(torch.ones(4, 6, dtype=dtype), 0.5, True)), vals(torch.rand(2))]

torch.manual_seed(4)
seqs['randint_wide'] = [vals(torch.randint(0, 2 ** 33, (6,))), vals(torch.randint(-2 ** 40, 2 ** 40, (4,))),
                        vals(torch.randint(3, 9, (5,))), vals(torch.rand(1))]

loaders = {}
for drop_last in [False, True]:
    for size in [10, 9]:
        ds = TensorDataset(torch.arange(size))
        g = torch.Generator().manual_seed(7)
        dl = DataLoader(ds, batch_size=3, shuffle=True, generator=g, drop_last=drop_last)
        epochs = [[vals(b[0]) for b in dl] for _ in range(3)]
        torch.manual_seed(5)
        dl2 = DataLoader(ds, batch_size=3, shuffle=True, drop_last=drop_last)
        default_epochs = [[vals(b[0]) for b in dl2] for _ in range(2)]
        loaders[f'n{size}_drop{int(drop_last)}'] = {'size': size, 'drop_last': drop_last, 'generator_epochs': epochs,
                                                  'generator_after': vals(torch.rand(2, generator=g)),
                                                  'default_epochs': default_epochs, 'default_after': vals(torch.rand(2))}

# The MNIST tutorial's Net trained in train mode (both dropouts drawing masks) for four SGD steps.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tutorial_models import Net
torch.manual_seed(1)
net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.5)
x = torch.randn(16, 1, 28, 28)
y = torch.randint(0, 10, (16,))
net.train()
losses = []
for _ in range(4):
    opt.zero_grad()
    loss = F.nll_loss(net(x), y)
    loss.backward()
    opt.step()
    losses.append(loss.item())
training = {'losses': losses, 'fc2_bias': vals(net.fc2.bias), 'conv1_bias': vals(net.conv1.bias), 'after': vals(torch.rand(2))}

with open(os.path.join(out_dir, 'random_streams.json'), 'w') as f:
    json.dump({'sequences': seqs, 'loaders': loaders, 'net_training': training}, f, separators=(',', ':'))
print(f'{len(seqs)} sequences, {len(loaders)} loaders')
