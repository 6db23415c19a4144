#!/usr/bin/python3
"""PyTorch 1.13 references for the models torchlit's zoo added after the tutorials (Debian's python3-torch).

usage: torch_models.py MODEL DATADIR [epochs] [batch] [threads] [save.safetensors]
MODEL: bn-cnn (BatchNormCNN) or resnet8 (ResNet8), both SGD lr 0.05 momentum 0.9, batch 128, cross-entropy,
as in src/models/zoo.ts. Prints one JSON line per epoch like ../shared/bench/torch_ref.py; with a sixth
argument, saves the trained state dict there as safetensors (written here: Debian has no python3-safetensors).
"""
import gzip, json, os, struct, sys, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

model_name, datadir = sys.argv[1], sys.argv[2]
epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 128
threads = int(sys.argv[5]) if len(sys.argv) > 5 else 2
save = sys.argv[6] if len(sys.argv) > 6 else None
torch.set_num_threads(threads)
torch.manual_seed(1)


def idx(path):
    b = gzip.open(path + '.gz').read() if not os.path.exists(path) else open(path, 'rb').read()
    magic, n = struct.unpack('>II', b[:8])
    if magic == 2051:
        r, c = struct.unpack('>II', b[8:16])
        return np.frombuffer(b, np.uint8, offset=16).reshape(n, 1, r, c)
    return np.frombuffer(b, np.uint8, offset=8)


def conv_bn_relu(i, o, stride):
    return nn.Sequential(nn.Conv2d(i, o, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU())


class BatchNormCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(conv_bn_relu(1, 32, 1), conv_bn_relu(32, 64, 2), conv_bn_relu(64, 64, 1),
                                      conv_bn_relu(64, 128, 2), nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(128, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class BasicBlock(nn.Module):
    def __init__(self, i, o, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(i, o, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(o)
        self.conv2 = nn.Conv2d(o, o, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(o)
        self.downsample = None
        if stride != 1 or i != o:
            self.downsample = nn.Sequential(nn.Conv2d(i, o, 1, stride=stride, bias=False), nn.BatchNorm2d(o))

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (self.downsample(x) if self.downsample is not None else x))


class ResNet8(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.layer1 = BasicBlock(16, 16)
        self.layer2 = BasicBlock(16, 32, 2)
        self.layer3 = BasicBlock(32, 64, 2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        return self.fc(self.flatten(self.avgpool(self.layer3(self.layer2(self.layer1(x))))))


def save_safetensors(state, path):
    names = {torch.float32: 'F32', torch.int64: 'I64'}
    header, blobs, at = {}, [], 0
    for k, v in state.items():
        b = v.detach().contiguous().numpy().tobytes()
        header[k] = dict(dtype=names[v.dtype], shape=list(v.shape), data_offsets=[at, at + len(b)])
        blobs.append(b)
        at += len(b)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


if __name__ == '__main__':
    models = {'bn-cnn': BatchNormCNN, 'resnet8': ResNet8}
    if model_name not in models:
        sys.exit('unknown model ' + model_name)
    xtr = torch.tensor(idx(f'{datadir}/train-images-idx3-ubyte'), dtype=torch.float32) / 255
    ytr = torch.tensor(idx(f'{datadir}/train-labels-idx1-ubyte').astype(np.int64))
    xte = torch.tensor(idx(f'{datadir}/t10k-images-idx3-ubyte'), dtype=torch.float32) / 255
    yte = torch.tensor(idx(f'{datadir}/t10k-labels-idx1-ubyte').astype(np.int64))
    model = models[model_name]()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    n = xtr.shape[0]
    for epoch in range(1, epochs + 1):
        model.train()
        perm = torch.randperm(n)
        t0 = time.perf_counter()
        for i in range(0, n, batch):
            ix = perm[i:i + batch]
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[ix]), ytr[ix])
            loss.backward()
            opt.step()
        train_s = time.perf_counter() - t0
        model.eval()
        with torch.no_grad():
            out = torch.cat([model(xte[i:i + 1000]) for i in range(0, 10000, 1000)])
            test_loss = F.cross_entropy(out, yte).item()
            acc = (out.argmax(1) == yte).float().mean().item()
        print(json.dumps(dict(framework='pytorch ' + torch.__version__, model=model_name, epoch=epoch, batch=batch,
                              threads=threads, train_s=round(train_s, 2), samples_per_s=round(n / train_s),
                              test_loss=round(test_loss, 4), test_acc=round(acc, 4))), flush=True)
    if save:
        save_safetensors(model.state_dict(), save)
