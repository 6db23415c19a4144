#!/usr/bin/python3
"""Writes PyTorch 1.13's answers for the nn layers and functions beyond the tutorials (Debian's python3-torch).

usage: /usr/bin/python3 scripts/make_nn_fixtures.py test/fixtures

nn_layers.json: for each named case, the module's state dict (so torchlit loads the same
parameters), the input, the output, and the gradients of sum(out * w) (w[i] = 1 + (i % 7) / 4)
with respect to the input (when float) and each parameter; or the error PyTorch raises; or, for
initialisers, the values drawn after manual_seed(0). test/nn_layers.test.ts builds the same.
NaN is written as null and infinities as +/-1e999.
"""
import json, math, os, sys
import torch, torch.nn as nn, torch.nn.functional as F

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
nan, inf = float('nan'), float('inf')


def enc(v):
    v = float(v)
    return None if math.isnan(v) else v


def flat(t):
    return [enc(x) for x in t.detach().reshape(-1).tolist()]


def weights(t):
    return (1 + (torch.arange(t.numel()) % 7).to(torch.float64) / 4).reshape(t.shape).to(t.dtype)


cases = {}


def case(name, make_module, x, dtype=torch.float32, seed=0):
    """make_module() -> a module or a function of the input; x: nested list (float) or a tensor (int)."""
    try:
        torch.manual_seed(seed)
        m = make_module()
        if isinstance(m, nn.Module):
            m = m.to(dtype)
            with torch.no_grad():
                for p in m.parameters():
                    p.copy_(torch.randn(p.shape, dtype=dtype) * 0.5 + 0.25)
        xt = x if isinstance(x, torch.Tensor) else torch.tensor(x, dtype=dtype, requires_grad=True)
        entry = {'state': {k: {'values': flat(v), 'shape': list(v.shape)} for k, v in m.state_dict().items()} if isinstance(m, nn.Module) else {}}
        torch.manual_seed(seed + 1)
        out = m(xt)
        entry.update(input={'values': flat(xt), 'shape': list(xt.shape), 'dtype': str(xt.dtype)[6:]},
                     output={'values': flat(out), 'shape': list(out.shape), 'dtype': str(out.dtype)[6:]})
        if out.requires_grad:
            (out * weights(out)).sum().backward()
            entry['input_grad'] = flat(xt.grad) if xt.grad is not None else None
            entry['param_grads'] = {k: flat(p.grad) for k, p in m.named_parameters()} if isinstance(m, nn.Module) else {}
        cases[name] = entry
    except Exception as e:
        cases[name] = {'error': str(e).split('\n')[0]}


def seq(n, shape, scale=1.0, shift=0.0):
    t = (torch.arange(n, dtype=torch.float64) * 0.37 % 1.9 - 0.8) * scale + shift
    return t.reshape(shape).tolist()


X4 = seq(2 * 4 * 3 * 3, [2, 4, 3, 3], 2)
case('layer_norm', lambda: nn.LayerNorm(4), seq(24, [2, 3, 4], 3))
case('layer_norm_2d_no_affine', lambda: nn.LayerNorm([3, 4], eps=1e-3, elementwise_affine=False), seq(24, [2, 3, 4], 3))
case('layer_norm_f64', lambda: nn.LayerNorm(4), seq(24, [2, 3, 4], 3), torch.float64)
case('layer_norm_bad_shape', lambda: nn.LayerNorm(5), seq(24, [2, 3, 4]))
case('group_norm', lambda: nn.GroupNorm(2, 4), X4)
case('group_norm_one_group_no_affine', lambda: nn.GroupNorm(1, 4, affine=False), X4)
case('group_norm_bad_groups', lambda: nn.GroupNorm(3, 4), X4)
G = [-6.0, -3.0, -1.0, -0.5, 0.0, 0.3, 1.0, 2.5, 7.0, nan]
case('gelu', lambda: nn.GELU(), G)
case('gelu_tanh', lambda: nn.GELU(approximate='tanh'), G)
case('gelu_f64', lambda: nn.GELU(), G, torch.float64)
case('prelu', lambda: nn.PReLU(), [[-2.0, 0.0, 3.0], [nan, -0.5, 1.0]])
case('prelu_channels', lambda: nn.PReLU(3), seq(24, [2, 3, 4], 2))
case('prelu_mismatch', lambda: nn.PReLU(4), seq(24, [2, 3, 4]))
case('embedding', lambda: nn.Embedding(5, 3, padding_idx=1), torch.tensor([[1, 2, 4], [4, 3, 1]]))
case('embedding_out_of_range', lambda: nn.Embedding(5, 3), torch.tensor([5]))
case('conv1d', lambda: nn.Conv1d(2, 3, 3, stride=2, padding=1), seq(28, [2, 2, 7]))
case('conv1d_same_no_bias', lambda: nn.Conv1d(2, 2, 3, padding='same', bias=False), seq(14, [1, 2, 7]))
case('conv1d_unbatched', lambda: nn.Conv1d(2, 3, 2), seq(10, [2, 5]))
case('conv_transpose2d', lambda: nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1), seq(64, [2, 2, 4, 4]))
case('conv_transpose2d_rect_no_bias', lambda: nn.ConvTranspose2d(3, 2, (2, 3), bias=False), seq(36, [1, 3, 3, 4]))
case('conv_transpose2d_bad_output_padding', lambda: nn.ConvTranspose2d(2, 3, 3, stride=2, output_padding=2), seq(32, [1, 2, 4, 4]))
I4 = seq(18, [1, 2, 3, 3], 2)
case('upsample_nearest_scale', lambda: nn.Upsample(scale_factor=2), I4)
case('interpolate_nearest_size', lambda: (lambda x: F.interpolate(x, size=(5, 4))), I4)
case('interpolate_nearest_down', lambda: (lambda x: F.interpolate(x, size=(2, 2))), seq(50, [1, 2, 5, 5]))
case('interpolate_nearest_1d', lambda: (lambda x: F.interpolate(x, size=8)), seq(10, [1, 2, 5]))
case('interpolate_bilinear', lambda: (lambda x: F.interpolate(x, size=(5, 7), mode='bilinear')), I4)
case('interpolate_bilinear_align', lambda: (lambda x: F.interpolate(x, size=(5, 7), mode='bilinear', align_corners=True)), I4)
case('upsample_bilinear_scale', lambda: nn.Upsample(scale_factor=2, mode='bilinear'), I4)
case('interpolate_bilinear_down', lambda: (lambda x: F.interpolate(x, scale_factor=0.5, mode='bilinear')), seq(50, [1, 2, 5, 5]))
case('interpolate_both_given', lambda: (lambda x: F.interpolate(x, size=4, scale_factor=2)), I4)
P4 = seq(32, [1, 2, 4, 4], 2)
case('pad_constant', lambda: (lambda x: F.pad(x, (1, 2, 0, 1), value=0.5)), P4)
case('pad_reflect', lambda: (lambda x: F.pad(x, (2, 1, 1, 2), mode='reflect')), P4)
case('pad_replicate', lambda: (lambda x: F.pad(x, (2, 1, 1, 3), mode='replicate')), P4)
case('pad_circular', lambda: (lambda x: F.pad(x, (2, 1, 1, 3), mode='circular')), P4)
case('pad_crop', lambda: (lambda x: F.pad(x, (-1, 1, 0, -2))), P4)
case('pad_reflect_too_big', lambda: (lambda x: F.pad(x, (4, 0, 0, 0), mode='reflect')), P4)
case('zero_pad2d', lambda: nn.ZeroPad2d((1, 0, 2, 1)), P4)
case('unfold', lambda: (lambda x: F.unfold(x, 2, padding=1)), I4)
case('unfold_dilation_stride', lambda: (lambda x: F.unfold(x, (2, 3), dilation=(1, 2), stride=(2, 1))), seq(70, [1, 2, 5, 7]))
case('adaptive_max_pool', lambda: nn.AdaptiveMaxPool2d((3, 2)), seq(40, [1, 2, 5, 4], 2))
case('adaptive_max_pool_global', lambda: nn.AdaptiveMaxPool2d(1), seq(40, [1, 2, 5, 4], 2))
case('one_hot', lambda: (lambda x: F.one_hot(x)), torch.tensor([[0, 3], [1, 1]]))
case('one_hot_classes', lambda: (lambda x: F.one_hot(x, 5)), torch.tensor([0, 3]))
case('one_hot_too_small', lambda: (lambda x: F.one_hot(x, 3)), torch.tensor([0, 3]))
case('normalize', lambda: (lambda x: F.normalize(x)), [[3.0, 4.0, 0.0], [0.0, 0.0, 0.0]])
case('normalize_p1_dim0', lambda: (lambda x: F.normalize(x, p=1.0, dim=0)), [[3.0, 4.0, 0.0], [1.0, -2.0, 0.0]])
case('dropout1d_train', lambda: nn.Dropout1d(0.4), seq(48, [4, 3, 4], 1, 2))
case('unflatten', lambda: nn.Unflatten(1, (2, -1)), seq(24, [2, 12]))
C6 = seq(2 * 4 * 6 * 6, [2, 4, 6, 6], 2)
case('conv2d_dilation', lambda: nn.Conv2d(4, 3, 3, dilation=2, padding=1), C6)
case('conv2d_dilation_same_stride', lambda: nn.Conv2d(4, 2, (3, 2), dilation=(2, 3), stride=(1, 2)), C6)
case('conv2d_dilation_same_padding', lambda: nn.Conv2d(4, 2, 3, dilation=2, padding='same'), C6)
case('conv2d_groups', lambda: nn.Conv2d(4, 6, 3, groups=2, padding=1), C6)
case('conv2d_depthwise', lambda: nn.Conv2d(4, 8, 3, groups=4, stride=2, bias=False), C6)
case('conv2d_groups_dilation', lambda: nn.Conv2d(4, 4, 3, groups=2, dilation=2), C6)
case('conv2d_groups_bad', lambda: (lambda x: F.conv2d(x, torch.ones(4, 3, 3, 3), groups=2)), C6)
case('conv1d_groups_dilation', lambda: nn.Conv1d(4, 4, 3, groups=4, dilation=2, padding=2), seq(28, [1, 4, 7]))
case('max_pool_ceil', lambda: nn.MaxPool2d(2, ceil_mode=True), seq(50, [1, 2, 5, 5], 3))
case('max_pool_ceil_stride_padding', lambda: nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), seq(72, [1, 2, 6, 6], 3))
case('max_pool_ceil_even', lambda: nn.MaxPool2d(2, ceil_mode=True), seq(32, [1, 2, 4, 4], 3))
case('layer_norm_in_sequential', lambda: nn.Sequential(nn.Linear(4, 3), nn.LayerNorm(3), nn.GELU(), nn.Linear(3, 2)), seq(8, [2, 4]))

inits = {}


def init(name, shape, fn):
    torch.manual_seed(0)
    t = torch.empty(shape)
    fn(t)
    inits[name] = {'shape': shape, 'values': flat(t)}


init('xavier_normal', [4, 6], lambda t: nn.init.xavier_normal_(t, gain=1.5))
init('kaiming_normal', [5, 3, 2, 2], lambda t: nn.init.kaiming_normal_(t, mode='fan_out', nonlinearity='relu'))
init('kaiming_normal_default', [6, 4], lambda t: nn.init.kaiming_normal_(t))
init('trunc_normal', [200], lambda t: nn.init.trunc_normal_(t, mean=0.5, std=2.0, a=-1.0, b=3.0))
init('trunc_normal_default', [50], lambda t: nn.init.trunc_normal_(t))
init('orthogonal_wide', [3, 5], lambda t: nn.init.orthogonal_(t))
init('orthogonal_tall', [5, 3], lambda t: nn.init.orthogonal_(t, gain=2.0))
init('orthogonal_conv', [4, 2, 3], lambda t: nn.init.orthogonal_(t))
init('eye', [3, 4], lambda t: nn.init.eye_(t))
init('embedding_init', [0], lambda t: None)
torch.manual_seed(0)
inits['embedding_init'] = {'shape': [4, 3], 'values': flat(nn.Embedding(4, 3, padding_idx=2).weight)}
torch.manual_seed(0)
ct = nn.ConvTranspose2d(2, 3, 3)
inits['conv_transpose_init'] = {'shape': list(ct.weight.shape), 'values': flat(ct.weight) + flat(ct.bias)}
torch.manual_seed(0)
c1 = nn.Conv1d(2, 3, 4)
inits['conv1d_init'] = {'shape': list(c1.weight.shape), 'values': flat(c1.weight) + flat(c1.bias)}

with open(os.path.join(out_dir, 'nn_layers.json'), 'w') as f:
    f.write(json.dumps({'cases': cases, 'inits': inits}).replace('Infinity', '1e999').replace('NaN', 'null'))
print(len(cases), 'cases,', len(inits), 'initialisers')
