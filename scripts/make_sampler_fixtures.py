#!/usr/bin/python3
"""Writes PyTorch 1.13's sample orders for torch.utils.data's samplers (Debian's python3-torch).

usage: /usr/bin/python3 scripts/make_sampler_fixtures.py test/fixtures

samplers.json: for each named case, two epochs of indices (samplers) or of batches (DataLoaders,
batches as lists of the samples' labels), from the seeds written beside them, and then one
torch.rand(1) draw of the global generator (where it ended). test/samplers.test.ts replays them.
"""
import json, os, sys
import torch
from torch.utils.data import (BatchSampler, ConcatDataset, DataLoader, RandomSampler, SequentialSampler,
                              SubsetRandomSampler, TensorDataset, WeightedRandomSampler)

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
cases = {}


def gen(seed):
    return torch.Generator().manual_seed(seed)


def sampler_case(name, make):
    torch.manual_seed(7)
    s = make()
    epochs = [list(map(int, s)) for _ in range(2)]
    cases[name] = {'epochs': epochs, 'after': torch.rand(1).item()}


def loader_case(name, make):
    torch.manual_seed(7)
    loader = make()
    epochs = [[b[1].tolist() for b in loader] for _ in range(2)]
    cases[name] = {'epochs': epochs, 'after': torch.rand(1).item(), 'length': len(loader)}


R = range(10)
sampler_case('sequential', lambda: SequentialSampler(R))
sampler_case('random', lambda: RandomSampler(R))
sampler_case('random_generator', lambda: RandomSampler(R, generator=gen(3)))
sampler_case('random_num_samples', lambda: RandomSampler(R, num_samples=23, generator=gen(3)))
sampler_case('random_replacement', lambda: RandomSampler(R, replacement=True, num_samples=40))
sampler_case('random_replacement_generator', lambda: RandomSampler(R, replacement=True, generator=gen(5)))
sampler_case('subset_random', lambda: SubsetRandomSampler([3, 5, 7, 11, 13]))
sampler_case('subset_random_generator', lambda: SubsetRandomSampler([3, 5, 7, 11, 13], generator=gen(2)))
sampler_case('weighted', lambda: WeightedRandomSampler([0.1, 0.5, 2.0, 0.0, 1.4], 12))
sampler_case('weighted_generator', lambda: WeightedRandomSampler([0.1, 0.5, 2.0, 0.0, 1.4], 12, generator=gen(4)))
sampler_case('weighted_no_replacement', lambda: WeightedRandomSampler([0.1, 0.5, 2.0, 0.3, 1.4], 4, replacement=False, generator=gen(4)))
cases['batch_sampler'] = {'epochs': [list(BatchSampler(SequentialSampler(range(10)), 3, False)),
                                     list(BatchSampler(SequentialSampler(range(10)), 3, True))]}

ds = TensorDataset(torch.zeros(10, 2), torch.arange(10))
ds2 = TensorDataset(torch.zeros(4, 2), torch.arange(100, 104))
loader_case('loader_sampler', lambda: DataLoader(ds, batch_size=3, sampler=RandomSampler(ds, generator=gen(1))))
loader_case('loader_sampler_loader_generator', lambda: DataLoader(ds, batch_size=4, sampler=SubsetRandomSampler([0, 2, 4, 6, 8]), generator=gen(9)))
loader_case('loader_batch_sampler', lambda: DataLoader(ds, batch_sampler=BatchSampler(RandomSampler(ds), 4, drop_last=True)))
loader_case('loader_weighted', lambda: DataLoader(ds, batch_size=5, sampler=WeightedRandomSampler(torch.arange(1.0, 11.0), 10)))
loader_case('loader_concat', lambda: DataLoader(ConcatDataset([ds, ds2]), batch_size=5, shuffle=True))
cases['concat_index'] = {'labels': [int(ConcatDataset([ds, ds2])[i][1]) for i in [0, 9, 10, 13, -1, -4, -14]]}
for name, fn in [('mutual_shuffle', lambda: DataLoader(ds, sampler=SequentialSampler(ds), shuffle=True)),
                 ('mutual_batch', lambda: DataLoader(ds, batch_sampler=BatchSampler(SequentialSampler(ds), 2, False), batch_size=3))]:
    try:
        fn()
    except Exception as e:
        cases[name] = {'error': str(e)}
with open(os.path.join(out_dir, 'samplers.json'), 'w') as f:
    json.dump(cases, f)
print(len(cases), 'cases')
