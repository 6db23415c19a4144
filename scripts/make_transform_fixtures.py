#!/usr/bin/python3
"""Writes torchvision 0.14's outputs for its geometric transforms (Debian's python3-torchvision).

usage: /usr/bin/python3 scripts/make_transform_fixtures.py test/fixtures

transforms.json: an image (uint8 [3, 5, 6]) and, for each named case, the outputs of four calls
after torch.manual_seed(5) (the random ones differ call to call), and where the generator ends
(one torch.rand(1) after), or the error. test/transforms.test.ts replays them.
"""
import json, os, sys
import torch
import torchvision.transforms as T

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
img = (torch.arange(3 * 5 * 6) * 37 % 256).to(torch.uint8).reshape(3, 5, 6)
cases = {}


def case(name, t, x=img):
    try:
        torch.manual_seed(5)
        outs = [t(x) for _ in range(4)]
        cases[name] = {'outputs': [{'shape': list(o.shape), 'dtype': str(o.dtype)[6:], 'values': o.reshape(-1).tolist()} for o in outs],
                       'after': torch.rand(1).item()}
    except Exception as e:
        cases[name] = {'error': str(e)}


case('hflip', T.RandomHorizontalFlip())
case('hflip_p', T.RandomHorizontalFlip(0.8))
case('vflip', T.RandomVerticalFlip())
case('center_crop', T.CenterCrop(3))
case('center_crop_rect', T.CenterCrop((2, 5)))
case('center_crop_pads', T.CenterCrop((7, 9)))
case('pad', T.Pad(2, fill=7))
case('pad_2', T.Pad((1, 2)))
case('pad_4_edge', T.Pad((1, 0, 2, 3), padding_mode='edge'))
case('pad_reflect', T.Pad(2, padding_mode='reflect'))
case('random_crop', T.RandomCrop(3))
case('random_crop_rect', T.RandomCrop((4, 2)))
case('random_crop_padding', T.RandomCrop(5, padding=2))
case('random_crop_padding_reflect', T.RandomCrop((6, 4), padding=(1, 2), padding_mode='reflect'))
case('random_crop_pad_if_needed', T.RandomCrop((7, 8), pad_if_needed=True, fill=3))
case('random_crop_whole', T.RandomCrop((5, 6)))
case('random_crop_too_big', T.RandomCrop(7))
case('compose', T.Compose([T.RandomCrop(4, padding=1), T.RandomHorizontalFlip()]))
case('float_image', T.Compose([T.ConvertImageDtype(torch.float32), T.RandomCrop(3)]))
case('grayscale', T.Grayscale())
case('grayscale_3', T.Grayscale(3))
case('grayscale_float', T.Compose([T.ConvertImageDtype(torch.float32), T.Grayscale()]))
case('convert_to_float', T.ConvertImageDtype(torch.float32))
case('convert_to_double', T.ConvertImageDtype(torch.float64))
case('convert_round_trip', T.Compose([T.ConvertImageDtype(torch.float32), T.ConvertImageDtype(torch.uint8)]))
case('grayscale_one_channel', T.Grayscale(), img[:1])
case('pad_symmetric', T.Pad((1, 2, 3, 0), padding_mode='symmetric'))
case('random_crop_symmetric', T.RandomCrop(6, padding=3, padding_mode='symmetric'))
case('pad_reflect_too_big', T.Pad(5, padding_mode='reflect'))
case('hflip_float', T.Compose([T.ConvertImageDtype(torch.float32), T.RandomHorizontalFlip(), T.Pad(1, fill=0.5)]))
with open(os.path.join(out_dir, 'transforms.json'), 'w') as f:
    json.dump({'image': {'shape': list(img.shape), 'values': img.reshape(-1).tolist()}, 'cases': cases}, f)
print(len(cases), 'cases')
