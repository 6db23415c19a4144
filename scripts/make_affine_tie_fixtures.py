#!/usr/bin/python3
"""Writes torchvision 0.14's nearest affine outputs where rounding and fill decide the result.

usage: /usr/bin/python3 scripts/make_affine_tie_fixtures.py test/fixtures

affine_ties.json: `zoom`, F.affine at scale 0.5 of a float [1, 4, 4] ramp, whose sampling points
fall on .5 (grid_sample's nearbyint rounds them half to even); `rotate`, F.rotate by 30 degrees of
a uint8 [1, 5, 5] ramp with fill 7, whose corners fall outside. test/augment.test.ts replays them.
"""
import json, os, sys
import torch
import torchvision.transforms.functional as F
from torchvision.transforms import InterpolationMode as I

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
ramp = torch.arange(16, dtype=torch.float32).reshape(1, 4, 4)
zoom = F.affine(ramp, angle=0.0, translate=[0, 0], scale=0.5, shear=[0.0, 0.0], interpolation=I.NEAREST)
ramp8 = (torch.arange(25, dtype=torch.uint8) * 9).reshape(1, 5, 5)
rotate = F.rotate(ramp8, 30.0, interpolation=I.NEAREST, fill=[7])
with open(os.path.join(out_dir, 'affine_ties.json'), 'w') as f:
    json.dump({'zoom': zoom.flatten().tolist(), 'rotate': rotate.flatten().tolist()}, f)
print('affine_ties.json')
