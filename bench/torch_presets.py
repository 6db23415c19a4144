#!/usr/bin/python3
"""The zoo's presets (mnist-fast, fashion-fast) in PyTorch 1.13, the recipe torchlit's zoo gives them.

usage: torch_presets.py CONFIG_JSON DATADIR [threads]
CONFIG_JSON: a run's settings as `torchlit train` writes them to config.json (model, widths, convs,
epochs, batchSize, lr, momentum, nesterov, weightDecay, labelSmoothing, normalize, augment, tta, seed).
DATADIR holds the four IDX files, raw or gzipped.
Trains with the same architecture, augmentation (RandomCrop(28, padding=2) per image, as torchvision
applies it in a Dataset), SGD, OneCycleLR stepped per batch, a test before training and after each
epoch (and once more with the run's test-time augmentation, if any), and prints one JSON line: the last test's accuracy and the seconds of training and testing.
"""
import gzip, json, os, struct, sys, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
import torchvision.transforms as T

cfg = json.load(open(sys.argv[1]))
datadir = sys.argv[2]
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
torch.manual_seed(cfg['seed'])


def idx(path):
    b = open(path, 'rb').read() if os.path.exists(path) else gzip.open(path + '.gz').read()
    magic, n = struct.unpack('>II', b[:8])
    if magic == 2051:
        r, c = struct.unpack('>II', b[8:16])
        return np.frombuffer(b, np.uint8, offset=16).reshape(n, 1, r, c)
    return np.frombuffer(b, np.uint8, offset=8)


class Images(torch.utils.data.Dataset):
    def __init__(self, prefix, transform):
        self.x = torch.tensor(idx(f'{datadir}/{prefix}-images-idx3-ubyte'))
        self.y = torch.tensor(idx(f'{datadir}/{prefix}-labels-idx1-ubyte').astype(np.int64))
        self.transform = transform

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.transform(self.x[i]), self.y[i]


mean, std = cfg['normalize'] or (0.0, 1.0)
to_input = [T.ConvertImageDtype(torch.float32), T.Normalize([mean], [std])]
train_tf = T.Compose(([T.RandomCrop(28, padding=2)] if cfg.get('augment') else []) + to_input)
train = Images('train', train_tf)
test = Images('t10k', T.Compose(to_input))
train_loader = torch.utils.data.DataLoader(train, batch_size=cfg['batchSize'], shuffle=True)
test_loader = torch.utils.data.DataLoader(test, batch_size=cfg['testBatchSize'])


def stage(in_c, out_c, convs):
    layers = []
    for i in range(convs):
        layers += [nn.Conv2d(in_c if i == 0 else out_c, out_c, 3, padding=1, bias=False), nn.BatchNorm2d(out_c), nn.ReLU()]
    return nn.Sequential(*layers, nn.MaxPool2d(2))


class FastCNN(nn.Module):
    def __init__(self, widths, convs):
        super().__init__()
        side, stages = 28, []
        for i, w in enumerate(widths):
            stages.append(stage(1 if i == 0 else widths[i - 1], w, convs[i]))
            side //= 2
        self.features = nn.Sequential(*stages)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(widths[-1] * side * side, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


model = FastCNN(cfg['widths'], cfg['convs'])
opt = torch.optim.SGD(model.parameters(), lr=cfg['lr'], momentum=cfg['momentum'],
                      nesterov=cfg.get('nesterov', False), weight_decay=cfg.get('weightDecay', 0))
total = cfg['epochs'] * len(train_loader)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, cfg['lr'], total_steps=total)
smoothing = cfg.get('labelSmoothing', 0)


def views(x, tta):
    """The inputs whose outputs torchlit's evaluate averages: the image, its mirror or its 1-pixel shifts."""
    if tta == 'hflip':
        return [x, x.flip(3)]
    if tta == 'shift':
        h, w = x.shape[2:]
        p = F.pad(x, (1, 1, 1, 1), mode='replicate')
        return [x] + [p[:, :, 1 - dy:1 - dy + h, 1 - dx:1 - dx + w] for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1))]
    return [x]


def evaluate(tta='none'):
    model.eval()
    correct, loss = 0, 0.0
    with torch.no_grad():
        for x, y in test_loader:
            vs = views(x, tta)
            out = sum(model(v) for v in vs) / len(vs) if len(vs) > 1 else model(vs[0])
            loss += F.cross_entropy(out, y, reduction='sum', label_smoothing=smoothing).item()
            correct += (out.argmax(1) == y).sum().item()
    return 100.0 * correct / len(test), loss / len(test)


t0 = time.perf_counter()
evaluate()
for epoch in range(cfg['epochs']):
    model.train()
    for x, y in train_loader:
        opt.zero_grad()
        F.cross_entropy(model(x), y, label_smoothing=smoothing).backward()
        opt.step()
        sched.step()
    accuracy, loss = evaluate()
if cfg.get('tta', 'none') != 'none':
    accuracy, loss = evaluate(cfg['tta'])
print(json.dumps({'library': 'pytorch', 'model': cfg['model'], 'seed': cfg['seed'], 'epochs': cfg['epochs'],
                  'test_accuracy': round(accuracy, 2), 'test_loss': round(loss, 4),
                  'train_time_s': round(time.perf_counter() - t0, 1)}))
