"""Continues training a model that torchlit exported for PyTorch (torchlit export --format pytorch),
with DistributedDataParallel over N processes on the gloo backend (CPU), then saves the state dict
as safetensors for torchlit to load again. Rank 0 tests after every epoch and prints JSON lines.

usage: torchrun --standalone --nproc_per_node=2 examples/scale_out/ddp_train.py \\
         --model-dir RUN/pytorch --data MNIST_DIR --normalize 0.1307,0.3081 --epochs 1 --out ddp.safetensors
"""
import argparse
import gzip
import importlib.util
import json
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset


def idx(path):
    """An IDX file (MNIST's format), gzipped or not, as a numpy array."""
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def split(data_dir, prefix, mean, std):
    def find(name):
        for candidate in (name, name + '.gz'):
            if os.path.exists(os.path.join(data_dir, candidate)):
                return os.path.join(data_dir, candidate)
        sys.exit(f'ddp_train.py: {name} not found in {data_dir}')
    images = torch.tensor(idx(find(f'{prefix}-images-idx3-ubyte')), dtype=torch.float32).unsqueeze(1) / 255
    labels = torch.tensor(idx(find(f'{prefix}-labels-idx1-ubyte')).astype(np.int64))
    return TensorDataset((images - mean) / std, labels)


def load_exported(model_dir):
    sys.path.insert(0, model_dir)
    spec = importlib.util.spec_from_file_location('exported_model', os.path.join(model_dir, 'model.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    classes = [v for v in vars(module).values()
               if isinstance(v, type) and issubclass(v, torch.nn.Module) and v.__module__ == module.__name__]
    model = classes[0]()
    model.load_state_dict(module.load_file(os.path.join(model_dir, 'model.safetensors')))
    return model, module


def test(model, loader, loss_fn):
    model.eval()
    correct, total, loss = 0, 0, 0.0
    with torch.no_grad():
        for x, y in loader:
            out = model(x)
            loss += loss_fn(out, y, reduction='sum').item()
            correct += (out.argmax(1) == y).sum().item()
            total += len(y)
    return loss / total, correct / total


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model-dir', required=True)
    p.add_argument('--data', required=True)
    p.add_argument('--normalize', default='0,1')
    p.add_argument('--epochs', type=int, default=1)
    p.add_argument('--batch-size', type=int, default=64, help='per process')
    p.add_argument('--lr', type=float, default=0.01)
    p.add_argument('--momentum', type=float, default=0.5)
    p.add_argument('--loss', choices=['nll', 'cross-entropy'], default='nll')
    p.add_argument('--out', required=True)
    a = p.parse_args()
    torch.set_num_threads(1)
    dist.init_process_group('gloo')
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(1)
    mean, std = (float(v) for v in a.normalize.split(','))
    train = split(a.data, 'train', mean, std)
    test_set = split(a.data, 't10k', mean, std)
    model, module = load_exported(a.model_dir)
    loss_fn = F.nll_loss if a.loss == 'nll' else F.cross_entropy
    if rank == 0:
        loss, acc = test(model, DataLoader(test_set, batch_size=1000), loss_fn)
        print(json.dumps({'stage': 'loaded', 'world_size': world, 'test_loss': round(loss, 4), 'test_acc': acc}), flush=True)
    ddp = DistributedDataParallel(model)
    sampler = DistributedSampler(train, num_replicas=world, rank=rank, shuffle=True, seed=1)
    loader = DataLoader(train, batch_size=a.batch_size, sampler=sampler)
    opt = torch.optim.SGD(ddp.parameters(), lr=a.lr, momentum=a.momentum)
    for epoch in range(1, a.epochs + 1):
        sampler.set_epoch(epoch)
        ddp.train()
        start = time.perf_counter()
        for x, y in loader:
            opt.zero_grad()
            loss_fn(ddp(x), y).backward()
            opt.step()
        train_s = time.perf_counter() - start
        if rank == 0:
            loss, acc = test(model, DataLoader(test_set, batch_size=1000), loss_fn)
            print(json.dumps({'stage': 'ddp', 'epoch': epoch, 'world_size': world, 'train_s': round(train_s, 1),
                              'test_loss': round(loss, 4), 'test_acc': acc}), flush=True)
    if rank == 0:
        module.save_file(model.state_dict(), a.out)
        print(json.dumps({'stage': 'saved', 'path': a.out}), flush=True)
    dist.destroy_process_group()


if __name__ == '__main__':
    main()
