#!/usr/bin/python3
"""Writes torchvision 0.14's outputs for its resizing, erasing, colour and affine transforms.

usage: /usr/bin/python3 scripts/make_augment_fixtures.py test/fixtures

augment.json: four images (uint8 [3, 5, 6], uint8 [3, 13, 17], that one as float32 / 255, uint8 [3, 32, 40])
and, per case, four calls after torch.manual_seed(5), then one torch.rand(1) (where the generator
ends), or the error. test/augment.test.ts replays them.
"""
import json, os, sys, warnings
import torch
import torchvision.transforms as T
from torchvision.transforms import InterpolationMode as I

warnings.filterwarnings('ignore')
out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
small = (torch.arange(3 * 5 * 6) * 37 % 256).to(torch.uint8).reshape(3, 5, 6)
g = torch.Generator().manual_seed(3)
ramp = torch.linspace(0, 1, 13)[:, None] * torch.linspace(0.2, 1, 17)[None, :]
big = (ramp[None] * torch.tensor([255., 180., 90.])[:, None, None] + torch.randint(0, 60, (3, 13, 17), generator=g)).clamp(0, 255).to(torch.uint8)
wide = (torch.linspace(0, 1, 32)[:, None] * torch.linspace(0.3, 1, 40)[None, :] * 160 + torch.randint(0, 90, (3, 32, 40), generator=g)).to(torch.uint8)
images = {'small': small, 'big': big, 'float': big.float() / 255, 'wide': wide}
cases = {}


def values(t):
    # Floats to 7 significant digits (float32 holds about that many); the tests compare within 1e-5.
    return [float('%.7g' % v) for v in t.reshape(-1).tolist()] if t.is_floating_point() else t.reshape(-1).tolist()


def case(name, t, image='big', calls=3):
    x = images[image]
    try:
        if not isinstance(t, torch.nn.Module):
            t = t()  # a constructor that may throw
        torch.manual_seed(5)
        outs = [t(x) for _ in range(calls)]
        cases[name] = {'image': image, 'outputs': [{'shape': list(o.shape), 'dtype': str(o.dtype)[6:], 'values': values(o)} for o in outs],
                       'after': torch.rand(1).item()}
    except Exception as e:
        cases[name] = {'image': image, 'error': str(e)}


case('resize_short', T.Resize(7))
case('resize_hw', T.Resize((9, 4)))
case('resize_up', T.Resize((20, 31)))
case('resize_nearest', T.Resize((6, 11), interpolation=I.NEAREST))
case('resize_nearest_up', T.Resize((19, 40), interpolation=I.NEAREST))
case('resize_antialias', T.Resize((5, 6), antialias=True))
case('resize_antialias_up', T.Resize((20, 23), antialias=True))
case('resize_float', T.Resize((6, 8)), 'float')
case('resize_float_antialias', T.Resize(4, antialias=True), 'float')
case('resize_max_size', T.Resize(10, max_size=12))
case('resize_same', T.Resize(13))
case('resize_nearest_antialias', T.Resize(5, interpolation=I.NEAREST, antialias=True))
case('random_resized_crop', T.RandomResizedCrop(8))
case('random_resized_crop_scale', T.RandomResizedCrop((6, 9), scale=(0.3, 0.6), ratio=(0.5, 2.0)))
case('random_resized_crop_antialias', T.RandomResizedCrop(5, antialias=True))
case('random_resized_crop_fallback', T.RandomResizedCrop(4, scale=(0.95, 1.0), ratio=(5.0, 6.0)))
case('random_resized_crop_nearest', T.RandomResizedCrop(7, interpolation=I.NEAREST), 'float')
case('random_erasing', T.RandomErasing(p=0.9), 'float', 5)
case('random_erasing_value', T.RandomErasing(p=1, scale=(0.1, 0.5), ratio=(0.5, 2), value=0.25), 'float')
case('random_erasing_rgb', T.RandomErasing(p=1, value=(0.1, 0.2, 0.3)), 'float')
case('random_erasing_random', T.RandomErasing(p=1, value='random'), 'float')
case('random_erasing_uint8', T.RandomErasing(p=1, value=7), 'big')
case('random_apply', T.RandomApply([T.RandomHorizontalFlip(1.0), T.RandomCrop(4)], p=0.6), 'small', 6)
case('brightness', T.ColorJitter(brightness=0.5))
case('contrast', T.ColorJitter(contrast=(0.2, 1.8)))
case('saturation', T.ColorJitter(saturation=0.7))
case('hue', T.ColorJitter(hue=0.3))
case('color_jitter', T.ColorJitter(0.4, 0.4, 0.4, 0.1))
case('color_jitter_float', T.ColorJitter(0.4, 0.4, 0.4, 0.2), 'float')
case('hue_too_big', lambda: T.ColorJitter(hue=0.7))
case('rotation', T.RandomRotation(30), 'float')
case('rotation_bilinear', T.RandomRotation((-45, 10), interpolation=I.BILINEAR), 'float')
case('rotation_fill', T.RandomRotation(90, fill=(0.5, 0.25, 1.0), interpolation=I.BILINEAR), 'float')
case('rotation_uint8', T.RandomRotation(20, interpolation=I.BILINEAR, fill=9))
case('rotation_center', T.RandomRotation(15, center=(2, 3), interpolation=I.BILINEAR), 'float')
case('rotation_expand', T.RandomRotation(30, expand=True), 'float')
case('affine', T.RandomAffine(20, translate=(0.1, 0.2), scale=(0.8, 1.2), shear=10, interpolation=I.BILINEAR), 'float')
case('affine_shear4', T.RandomAffine(0, shear=(-5, 5, -10, 10), interpolation=I.BILINEAR), 'float')
case('affine_nearest_uint8', T.RandomAffine(10, translate=(0.2, 0.1)))
case('affine_bad_translate', lambda: T.RandomAffine(0, translate=(1.5, 0)))
import torchvision.transforms.functional as F


class Fn(torch.nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


case('posterize', Fn(lambda x: F.posterize(x, 3)), calls=1)
case('solarize', Fn(lambda x: F.solarize(x, 100.0)), calls=1)
case('solarize_float', Fn(lambda x: F.solarize(x, 0.4)), 'float', calls=1)
case('autocontrast', Fn(F.autocontrast), calls=1)
case('autocontrast_float', Fn(F.autocontrast), 'float', calls=1)
case('equalize', Fn(F.equalize), 'wide', calls=1)
case('equalize_flat', Fn(F.equalize), calls=1)
case('sharpness', Fn(lambda x: F.adjust_sharpness(x, 1.8)), calls=1)
case('sharpness_float', Fn(lambda x: F.adjust_sharpness(x, 0.3)), 'float', calls=1)
case('trivial_augment', T.TrivialAugmentWide(), calls=30)
case('trivial_augment_wide_image', T.TrivialAugmentWide(), 'wide', calls=12)
case('trivial_augment_bins', T.TrivialAugmentWide(num_magnitude_bins=7, interpolation=I.BILINEAR, fill=[10, 20, 30]), calls=25)
with open(os.path.join(out_dir, 'augment.json'), 'w') as f:
    json.dump({'images': {k: {'shape': list(v.shape), 'dtype': str(v.dtype)[6:], 'values': v.reshape(-1).tolist()} for k, v in images.items() if k != 'float'},
               'cases': cases}, f)
print(len(cases), 'cases')
