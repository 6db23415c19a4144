// The synthetic CIFAR-sized training set the augmentation benches use (torch_augment.py builds the
// same pixels): 50,000 x 3 x 32 x 32 uint8, labels i % 10, through RandomCrop(32, padding=4) +
// RandomHorizontalFlip + ToTensor + Normalize.
import { datasets, Tensor, transforms as T } from '../src/index.js';

export function cifarSized(n = 50_000): datasets.ImageArrayDataset {
  const pixels = Uint8Array.from({ length: n * 3072 }, (_, i) => (i * 2654435761) >>> 24);
  const transform = new T.Compose([
    new T.RandomCrop(32, { padding: 4 }),
    new T.RandomHorizontalFlip(),
    new T.ToTensor(),
    new T.Normalize([0.4914, 0.4822, 0.4465], [0.247, 0.243, 0.261]),
  ]);
  return new datasets.ImageArrayDataset(
    'cifar-sized',
    Array.from({ length: 10 }, (_, i) => String(i)),
    new Tensor(pixels, [n, 3, 32, 32], 'uint8'),
    new Tensor(
      Float64Array.from({ length: n }, (_, i) => i % 10),
      [n],
      'int64',
    ),
    { transform },
  );
}
