#!/usr/bin/python3
"""Writes PyTorch 1.13's answers to the edge cases torchlit got wrong (run with Debian's python3-torch).

usage: /usr/bin/python3 scripts/make_edge_fixtures.py test/fixtures

edges.json: for each named case, the result's values, dtype and shape, and the gradients of the
inputs that require grad (of result.sum()), or the error PyTorch raises. test/edges.test.ts runs
the same expression in torchlit under the same name.
"""
import json, math, os, sys
import torch, torch.nn.functional as F

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
nan = float('nan')


def enc(v):
    return None if isinstance(v, float) and math.isnan(v) else v


def vals(t):
    v = t.detach().reshape(-1).tolist()
    return [enc(float(x)) if not isinstance(x, bool) else x for x in v]


def leaf(values, dtype=torch.float32):
    return torch.tensor(values, dtype=dtype, requires_grad=True)


cases = {}


def case(name, fn):
    try:
        inputs = []
        out = fn(inputs)
        entry = {'values': vals(out), 'dtype': str(out.dtype).replace('torch.', ''), 'shape': list(out.shape)}
        if inputs:
            out.sum().backward() if out.ndim else out.backward()
            entry['grads'] = [vals(x.grad) if x.grad is not None else None for x in inputs]
        cases[name] = entry
    except Exception as e:
        cases[name] = {'error': str(e).split('\n')[0]}


def use(inputs, *xs):
    inputs.extend(xs)
    return xs if len(xs) > 1 else xs[0]


case('stack_grad', lambda i: torch.stack([use(i, leaf([1.5, -2.0, 3.0])) * 2, torch.tensor([4.0, 5.0, 6.0])], 1))
case('stack_grad_dim0', lambda i: torch.stack(list(use(i, leaf([1.0, 2.0]), leaf([3.0, 4.0])))))
case('max_all_nan_grad', lambda i: use(i, leaf([1.0, nan, 3.0, nan])).max())
case('min_all_nan_grad', lambda i: use(i, leaf([1.0, nan, -3.0])).min())
case('max_all_ties_grad', lambda i: use(i, leaf([3.0, 1.0, 3.0])).max())
case('pow_grad_base_zero', lambda i: torch.pow(*use(i, leaf([0.0, 2.5, 0.0, -1.5]), leaf([2.5, 3.5, 0.0, 2.0]))))
case('pow_grad_scalar_exponent_zero', lambda i: use(i, leaf([0.0, 2.0])).pow(0.0))
case('pow_grad_base_zero_scalar', lambda i: use(i, leaf([0.0, 2.0])).pow(2))
case('max_0d_dim0', lambda i: use(i, leaf(3.5)).max(0)[0])
case('min_0d_dim_neg1', lambda i: use(i, leaf(3.5)).min(-1)[0])
case('argmax_0d', lambda i: torch.tensor(3.5).argmax(0))
case('sum_0d_dim_neg1', lambda i: use(i, leaf(3.5)).sum(-1))
case('mean_0d_dim0_keepdim', lambda i: use(i, leaf(3.5)).mean(0, True))
case('mean_0d_dim0', lambda i: use(i, leaf(3.5)).mean(0))
case('view_transposed', lambda i: torch.arange(12).reshape(4, 3).t().view(3, 2, 2))
case('view_transposed_split_last', lambda i: torch.arange(24.).reshape(2, 3, 4).transpose(1, 2).view(2, 2, 2, 3))
case('view_transposed_merge_bad', lambda i: torch.arange(12).reshape(4, 3).t().view(12))
case('promote_f32_with_f64_0d', lambda i: torch.tensor([1.0, 2.0]) + torch.tensor(1.5, dtype=torch.float64))
case('promote_f64_with_f32_0d', lambda i: torch.tensor([1.0, 2.0], dtype=torch.float64) + torch.tensor(1.5))
case('promote_int_with_f64_0d', lambda i: torch.tensor([1, 2]) + torch.tensor(1.5, dtype=torch.float64))
case('promote_u8_with_int_0d', lambda i: torch.tensor([200, 3], dtype=torch.uint8) + torch.tensor(300))
case('promote_0d_with_0d', lambda i: torch.tensor(1.0) + torch.tensor(1.5, dtype=torch.float64))
case('promote_int_with_float_scalar', lambda i: torch.tensor([1, 2]) * 1.5)
case('promote_u8_with_float_tensor', lambda i: torch.tensor([1, 2], dtype=torch.uint8) * torch.tensor([1.5, 2.0]))
case('u8_add_wraps', lambda i: torch.tensor([200, 100], dtype=torch.uint8) + 300)
case('u8_sub_wraps', lambda i: torch.tensor([3, 100], dtype=torch.uint8) - 5)
case('u8_mul_wraps', lambda i: torch.tensor([20, 3], dtype=torch.uint8) * torch.tensor([20, 3], dtype=torch.uint8))
case('bool_add_bool', lambda i: torch.tensor([True, True, False]) + torch.tensor([True, False, False]))
case('bool_mul_bool', lambda i: torch.tensor([True, True, False]) * torch.tensor([True, False, False]))
case('to_bool', lambda i: torch.tensor([2.0, nan, 0.0, -0.0, -1.5]).to(torch.bool))
case('to_bool_from_int', lambda i: torch.tensor([2, 0, -3]).to(torch.bool))
case('int64_from_fractions', lambda i: torch.tensor([1.7, -1.7, 2.5, -0.5], dtype=torch.int64))
case('full_int64_fraction', lambda i: torch.full([2], 7.9, dtype=torch.int64))
case('full_infers_int64', lambda i: torch.full([2], 2))
case('full_infers_float', lambda i: torch.full([2], 2.5))
case('full_infers_bool', lambda i: torch.full([2], True))
case('float_to_int64_truncates', lambda i: torch.tensor([1.9, -1.9, 2.5]).to(torch.int64))
case('float_to_uint8_wraps', lambda i: torch.tensor([1.9, 255.5, 3.0]).to(torch.uint8))
case('relu_nan', lambda i: F.relu(use(i, leaf([nan, -1.0, 2.0, 0.0]))))
case('relu_method_nan', lambda i: torch.tensor([nan, -1.0]).relu())
case('clamp_nan', lambda i: torch.tensor([nan, -1.0, 5.0]).clamp(0.0, 2.0))
case('matmul_int64', lambda i: torch.tensor([[1, 2], [3, 4]]).matmul(torch.tensor([[1], [2]])))
case('matmul_int64_vector', lambda i: torch.tensor([1, 2, 3]).matmul(torch.tensor([4, 5, 6])))
case('matmul_mixed_error', lambda i: torch.tensor([[1, 2]]).matmul(torch.tensor([[1.0], [2.0]])))
case('bool_sum', lambda i: torch.tensor([True, False, True]).sum())
case('bool_mean_error', lambda i: torch.tensor([True, False]).mean())
case('bool_neg_error', lambda i: -torch.tensor([True, False]))

with open(os.path.join(out_dir, 'edges.json'), 'w') as f:
    json.dump(cases, f, indent=1)
print(f'{len(cases)} cases')
