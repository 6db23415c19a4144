#!/usr/bin/python3
"""Writes small dataset files in the real formats, and what torchvision 0.14 reads from them.

usage: /usr/bin/python3 scripts/make_dataset_fixtures.py test/fixtures

datasets/cifar-10-batches-py: a CIFAR-10 folder of 2 + 1 images per batch, pickled as Python 2's
cPickle wrote the originals (str as BINSTRING, protocol 2); datasets/cifar-100-python: a CIFAR-100
folder pickled by Python 3 (protocol 4, bytes as BINBYTES). datasets.json: torchvision's CIFAR10
and CIFAR100 read back from those folders (data, targets, classes), and FakeData samples.
test/data/cifar.test.ts and test/data/fake_data.test.ts replay them.
"""
import io, json, os, pickle, struct, sys
import numpy as np
import torch
import torchvision

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
root = os.path.join(out_dir, 'datasets')


class Python2Pickler(pickle._Pickler):
    """Writes every str and bytes as a Python 2 str (SHORT_BINSTRING/BINSTRING), as cPickle did."""
    dispatch = dict(pickle._Pickler.dispatch)

    def save_py2_str(self, obj):
        data = obj.encode('latin1') if isinstance(obj, str) else obj
        if len(data) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(data)]) + data)
        else:
            self.write(pickle.BINSTRING + struct.pack('<i', len(data)) + data)
        self.memoize(obj)

    dispatch[str] = save_py2_str
    dispatch[bytes] = save_py2_str


def py2_dump(obj, path):
    buf = io.BytesIO()
    Python2Pickler(buf, protocol=2).dump(obj)
    with open(path, 'wb') as f:
        f.write(buf.getvalue())


rng = np.random.RandomState(7)
cifar10 = os.path.join(root, 'cifar-10-batches-py')
os.makedirs(cifar10, exist_ok=True)
names10 = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']
for i, name in enumerate([f'data_batch_{k}' for k in range(1, 6)] + ['test_batch']):
    n = 1 if name == 'test_batch' else 2
    py2_dump({b'batch_label': b'batch %d' % i, b'labels': [int(v) for v in rng.randint(0, 10, n)],
              b'data': rng.randint(0, 256, (n, 3072)).astype(np.uint8),
              b'filenames': [b'img_%d.png' % j for j in range(n)]}, os.path.join(cifar10, name))
py2_dump({b'num_cases_per_batch': 2, b'label_names': [s.encode() for s in names10], b'num_vis': 3072},
         os.path.join(cifar10, 'batches.meta'))

cifar100 = os.path.join(root, 'cifar-100-python')
os.makedirs(cifar100, exist_ok=True)
fine = [f'class_{k}' for k in range(100)]
for name, n in [('train', 3), ('test', 2)]:
    with open(os.path.join(cifar100, name), 'wb') as f:
        pickle.dump({'filenames': [f'f{j}.png' for j in range(n)], 'batch_label': name,
                     'fine_labels': [int(v) for v in rng.randint(0, 100, n)],
                     'coarse_labels': [int(v) for v in rng.randint(0, 20, n)],
                     'data': rng.randint(0, 256, (n, 3072)).astype(np.uint8)}, f, protocol=4)
with open(os.path.join(cifar100, 'meta'), 'wb') as f:
    pickle.dump({'fine_label_names': fine, 'coarse_label_names': [f'super_{k}' for k in range(20)]}, f, protocol=4)

# The small files fail torchvision's md5 check of the real ones; the parsing is what is compared.
torchvision.datasets.CIFAR10._check_integrity = lambda self: True
torchvision.datasets.CIFAR100._check_integrity = lambda self: True
torchvision.datasets.cifar.check_integrity = lambda *a, **k: True
read = {}
for cls, key in [(torchvision.datasets.CIFAR10, 'cifar10'), (torchvision.datasets.CIFAR100, 'cifar100')]:
    for train in [True, False]:
        ds = cls(root, train=train)
        read[f'{key}_{"train" if train else "test"}'] = {
            'data': np.asarray(ds.data).transpose(0, 3, 1, 2).reshape(-1).tolist(),
            'targets': list(ds.targets), 'classes': list(ds.classes)}

fake = {}
for key, kwargs, indices in [('default', {}, [0, 999]), ('gray', {'size': 5, 'image_size': (1, 4, 6), 'num_classes': 3}, [0, 1, 4]),
                             ('offset', {'size': 4, 'image_size': (3, 3, 2), 'num_classes': 100, 'random_offset': 17}, [0, 3])]:
    ds = torchvision.datasets.FakeData(**kwargs)
    samples = []
    for i in indices:
        img, target = ds[i]
        a = np.asarray(img)
        a = a[None] if a.ndim == 2 else a.transpose(2, 0, 1)
        samples.append({'index': i, 'target': int(target), 'shape': list(a.shape),
                        'sum': int(a.astype(np.int64).sum()), 'head': a.reshape(-1)[:64].tolist()})
    fake[key] = {'kwargs': {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()}, 'samples': samples}

# An image folder: classes that sort by code point ('B' < 'a' < 'a-b'), nested folders, upper-case
# extensions, a file that is not an image, and PNGs in four colour types beside a JPEG.
from PIL import Image
folder = os.path.join(root, 'image_folder')
pixels = rng.randint(0, 256, (5, 7, 3)).astype(np.uint8)
layout = {
    'a/x/2.png': ('RGB', 'PNG'), 'a/x-y/1.png': ('L', 'PNG'), 'a/0.PNG': ('P', 'PNG'),
    'a-b/photo.jpg': ('RGB', 'JPEG'), 'B/z.png': ('RGBA', 'PNG'), 'B/notes.txt': None,
}
for rel, kind in layout.items():
    path = os.path.join(folder, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if kind is None:
        with open(path, 'w') as f:
            f.write('not an image')
        continue
    mode, fmt = kind
    img = Image.fromarray(pixels, 'RGB')
    img = img.convert(mode) if mode != 'RGBA' else Image.fromarray(np.dstack([pixels, pixels[:, :, :1]]), 'RGBA')
    img.save(path, fmt, **({'quality': 95, 'subsampling': 0} if fmt == 'JPEG' else {}))
ds = torchvision.datasets.ImageFolder(folder)
image_folder = {'classes': ds.classes, 'class_to_idx': ds.class_to_idx,
                'samples': [[os.path.relpath(p, folder), t] for p, t in ds.samples],
                'images': [np.asarray(ds[i][0]).transpose(2, 0, 1).reshape(-1).tolist() for i in range(len(ds))]}

with open(os.path.join(out_dir, 'datasets.json'), 'w') as f:
    json.dump({'cifar': read, 'fake_data': fake, 'image_folder': image_folder}, f)
print(f'wrote {root} and datasets.json')
