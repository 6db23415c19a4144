#!/usr/bin/python3
"""PyTorch 1.13 / torchvision 0.14 references for bench/augment.ts and bench/augment_step.ts.

usage: torch_augment.py [epochs=3] [steps=40] [threads=2]
The same CIFAR-sized uint8 data (50,000 x 3 x 32 x 32, the same pixel formula), the same pipeline
(RandomCrop(32, padding=4) + RandomHorizontalFlip + ConvertImageDtype(float32) + Normalize, the
tensor equivalent of ToTensor + Normalize) through a DataLoader of batches of 128, shuffled.
Prints JSON lines: epoch times for num_workers 0 and 1, then the BatchNorm CNN (3 input channels)
training on it with num_workers 1: the median step and the time next() takes.
"""
import json, statistics, sys, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
import torchvision.transforms as T

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 40
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
torch.set_num_threads(threads)
n = 50_000
i = np.arange(n * 3072, dtype=np.uint64)
pixels = torch.from_numpy((((i * 2654435761) & 0xFFFFFFFF) >> 24).astype(np.uint8).reshape(n, 3, 32, 32))
labels = torch.arange(n) % 10
transform = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ConvertImageDtype(torch.float32),
                       T.Normalize([0.4914, 0.4822, 0.4465], [0.247, 0.243, 0.261])])


class Images(torch.utils.data.Dataset):
    def __len__(self):
        return n

    def __getitem__(self, k):
        return transform(pixels[k]), labels[k]


for workers in [0, 1]:
    loader = torch.utils.data.DataLoader(Images(), batch_size=128, shuffle=True, num_workers=workers)
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        for x, y in loader:
            pass
        times.append(time.perf_counter() - t0)
    print(json.dumps({'bench': 'augment', 'framework': 'pytorch', 'numWorkers': workers, 'epochs': epochs,
                      'median_epoch_s': round(statistics.median(times), 3), 'min_epoch_s': round(min(times), 3)}), flush=True)


def conv_bn_relu(i, o, stride):
    return nn.Sequential(nn.Conv2d(i, o, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU())


torch.manual_seed(1)
model = nn.Sequential(conv_bn_relu(3, 32, 1), conv_bn_relu(32, 64, 2), conv_bn_relu(64, 64, 1), conv_bn_relu(64, 128, 2),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loader = torch.utils.data.DataLoader(Images(), batch_size=128, shuffle=True, num_workers=1)
it = iter(loader)
waits, step_times = [], []
for s in range(steps + 5):
    t0 = time.perf_counter()
    x, y = next(it)
    t1 = time.perf_counter()
    opt.zero_grad()
    F.cross_entropy(model(x), y).backward()
    opt.step()
    t2 = time.perf_counter()
    if s >= 5:
        waits.append((t1 - t0) * 1000)
        step_times.append((t2 - t1) * 1000)
print(json.dumps({'bench': 'augment_step', 'framework': 'pytorch', 'model': 'bn-cnn', 'numWorkers': 1, 'steps': steps,
                  'median_step_ms': round(statistics.median(step_times), 2), 'median_wait_ms': round(statistics.median(waits), 3),
                  'max_wait_ms': round(max(waits), 3),
                  'wait_share': round(sum(waits) / (sum(waits) + sum(step_times)), 4)}), flush=True)
