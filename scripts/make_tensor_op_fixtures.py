#!/usr/bin/python3
"""Writes PyTorch 1.13's answers for the tensor ops beyond the tutorials (Debian's python3-torch).

usage: /usr/bin/python3 scripts/make_tensor_op_fixtures.py test/fixtures

tensor_ops.json: for each named case, its results (a tensor, a list of tensors or a bool) as
values, dtype and shape, and the gradients of the inputs that require grad, of
sum(out * w) over the float results with w[i] = 1 + (i % 7) / 4 (so a permuted gradient shows);
or the error PyTorch raises. test/tensor_ops.test.ts runs the same expression in torchlit.
NaN is written as null and infinities as +/-1e999 (which JSON.parse reads as Infinity).
"""
import json, math, os, sys
import torch

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
nan, inf = float('nan'), float('inf')


def enc(v):
    if isinstance(v, bool):
        return v
    v = float(v)
    return None if math.isnan(v) else v


def entry(t):
    return {'values': [enc(x) for x in t.detach().reshape(-1).tolist()], 'dtype': str(t.dtype).replace('torch.', ''),
            'shape': list(t.shape)}


def weights(t):
    n = t.numel()
    return (1 + (torch.arange(n) % 7).to(torch.float64) / 4).reshape(t.shape).to(t.dtype)


cases = {}


def case(name, fn):
    inputs = []

    def leaf(values, dtype=torch.float32):
        x = torch.tensor(values, dtype=dtype, requires_grad=True)
        inputs.append(x)
        return x

    try:
        out = fn(leaf)
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        if isinstance(out, bool):
            cases[name] = {'bool': out}
            return
        e = {'outputs': [entry(o) for o in outs]}
        if inputs:
            loss = sum((o * weights(o)).sum() for o in outs if o.dtype.is_floating_point and o.requires_grad)
            if isinstance(loss, torch.Tensor):
                loss.backward()
            e['grads'] = [[enc(v) for v in x.grad.reshape(-1).tolist()] if x.grad is not None else None for x in inputs]
        cases[name] = e
    except Exception as err:
        cases[name] = {'error': str(err).split('\n')[0]}


T = torch.tensor
A = [[1.5, -2.0, 3.25], [0.5, 4.0, -1.0]]
B = [[2.0, 1.0, 3.25], [-0.5, 4.0, 2.0]]
V = [3.0, -1.0, 2.5, 0.0, -4.0, 1.5]

# elementwise
case('sin', lambda l: l(V).sin())
case('cos', lambda l: l(V).cos())
case('floor', lambda l: l([1.5, -1.5, 2.0, -0.2]).floor())
case('ceil', lambda l: l([1.5, -1.5, 2.0, -0.2]).ceil())
case('round_half_even', lambda l: l([0.5, 1.5, 2.5, -0.5, -2.5, 2.4, -3.6]).round())
case('trunc', lambda l: l([1.7, -1.7]).trunc())
case('sign', lambda l: l([2.0, -3.0, 0.0, nan]).sign())
case('reciprocal', lambda l: l([2.0, -4.0, 0.5]).reciprocal())
case('reciprocal_int', lambda l: T([2, 4]).reciprocal())
case('rsqrt', lambda l: l([4.0, 0.25, 9.0]).rsqrt())
case('square', lambda l: l([1.5, -2.0]).square())
case('square_int', lambda l: T([3, -2]).square())
case('maximum', lambda l: torch.maximum(l([1.0, 5.0, 2.0, nan, 3.0]), l([2.0, 1.0, 2.0, 1.0, nan])))
case('minimum', lambda l: torch.minimum(l([1.0, 5.0, 2.0, nan]), l([2.0, 1.0, 2.0, 1.0])))
case('maximum_broadcast', lambda l: torch.maximum(l([[1.0, 5.0], [3.0, 0.0]]), l([2.0, 1.0])))
case('logical_and', lambda l: torch.logical_and(T([1.0, 0.0, nan, 2.0]), T([1, 1, 1, 0])))
case('logical_or', lambda l: torch.logical_or(T([0.0, 0.0, nan]), T([0, 1, 0])))
case('logical_xor', lambda l: torch.logical_xor(T([True, False, True]), T([True, True, False])))
case('logical_and_fraction', lambda l: torch.logical_and(T([1, 0, 2]), T(0.5)))
case('repeat_negative', lambda l: T([1.0]).repeat(-1))
case('logical_not', lambda l: torch.logical_not(T([0.0, 1.5, nan, -0.0])))
case('isnan', lambda l: T([1.0, nan, inf]).isnan())
case('isinf', lambda l: T([1.0, nan, inf, -inf]).isinf())
case('isfinite', lambda l: T([1.0, nan, inf, -inf]).isfinite())
case('log1p', lambda l: l([0.0, 1e-8, 1.5]).log1p())

# joining and splitting
case('cat_dim0', lambda l: torch.cat([l(A), l([[7.0, 8.0, 9.0]])]))
case('cat_dim1', lambda l: torch.cat([l(A), l([[7.0], [8.0]])], 1))
case('cat_neg_dim', lambda l: torch.cat([l(A), l(B)], -1))
case('cat_promotes', lambda l: torch.cat([T([1, 2]), T([0.5])]))
case('cat_skips_empty', lambda l: torch.cat([l([1.0, 2.0]), torch.tensor([])]))
case('cat_size_mismatch', lambda l: torch.cat([T(A), T([[1.0, 2.0]])]))
case('cat_ndim_mismatch', lambda l: torch.cat([T(A), T([1.0, 2.0, 3.0])]))
case('cat_empty_list', lambda l: torch.cat([]))
case('cat_zero_dim', lambda l: torch.cat([T(1.0), T(2.0)]))
case('concat', lambda l: torch.concat([l([1.0]), l([2.0, 3.0])]))
case('split_size', lambda l: torch.split(l(V), 4))
case('split_sizes', lambda l: torch.split(l(A), [1, 2], 1))
case('split_sizes_bad', lambda l: torch.split(T(V), [1, 2]))
case('chunk', lambda l: torch.chunk(l(V), 4))
case('chunk_dim1', lambda l: torch.chunk(l(A), 2, 1))
case('unbind', lambda l: torch.unbind(l(A), 1))
case('stack_dim1', lambda l: torch.stack([l(V[:3]), l(V[3:])], 1))

# moving elements
case('flip', lambda l: torch.flip(l(A), [0, 1]))
case('flip_dim1', lambda l: l(A).flip(1))
case('flip_repeated_dim', lambda l: torch.flip(T(A), [0, 0]))
case('roll_flat', lambda l: torch.roll(l(A), 2))
case('roll_dims', lambda l: torch.roll(l(A), (1, -1), (0, 1)))
case('roll_mismatch', lambda l: torch.roll(T(A), (1, 2), 0))
case('repeat', lambda l: l([[1.0, 2.0]]).repeat(2, 3))
case('repeat_new_dims', lambda l: l([1.0, 2.0]).repeat(2, 1, 2))
case('repeat_too_few', lambda l: T(A).repeat(2))
case('tril', lambda l: torch.tril(l([[1.0, 2, 3], [4, 5, 6], [7, 8, nan]])))
case('tril_diag', lambda l: torch.tril(l([[1.0, 2, 3, 4], [5, 6, 7, 8]]), 1))
case('triu', lambda l: torch.triu(l([[1.0, 2, 3], [4, nan, 6], [7, 8, 9]])))
case('triu_neg_diag', lambda l: torch.triu(l([[[1.0, 2], [3, 4], [5, 6]]]), -1))
case('tril_1d', lambda l: torch.tril(T([1.0, 2.0])))
case('movedim', lambda l: torch.movedim(l([[[1.0, 2], [3, 4], [5, 6]]]), 0, 2))
case('movedim_list', lambda l: torch.movedim(T([[[1.0, 2], [3, 4], [5, 6]]]), (0, 1), (2, 0)))
case('gather_dim1', lambda l: torch.gather(l(A), 1, T([[2, 0], [1, 1]])))
case('gather_dim0', lambda l: torch.gather(l(A), 0, T([[1, 0, 1]])))
case('gather_negative_index', lambda l: torch.gather(T(A), 1, T([[-1], [0]])))
case('gather_out_of_bounds', lambda l: torch.gather(T(A), 1, T([[3], [0]])))
case('gather_float_index', lambda l: torch.gather(T(A), 1, T([[1.0], [0.0]])))
case('scatter', lambda l: torch.scatter(l(A), 1, T([[2, 0], [1, 1]]), l([[10.0, 20.0], [30.0, 40.0]])))
case('scatter_value', lambda l: torch.scatter(l(A), 0, T([[1, 0, 1]]), 9.5))
case('scatter_add', lambda l: torch.scatter_add(l(A), 1, T([[2, 0, 2], [1, 1, 0]]), l([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])))
case('where', lambda l: torch.where(T([[True, False, True], [False, False, True]]), l(A), l(B)))
case('where_broadcast', lambda l: torch.where(T([True, False, True]), l(A), l([10.0, 20.0, 30.0])))
case('where_scalar', lambda l: torch.where(T([True, False]), l([1.5, 2.5]), 0.0))
case('where_float_cond', lambda l: torch.where(T([1.0, 0.0]), T([1.0, 2.0]), T([3.0, 4.0])))
case('where_nan_other', lambda l: torch.where(T([True, False]), l([1.0, 2.0]), T([nan, 5.0])))
case('masked_fill', lambda l: l(A).masked_fill(T([[True, False, True], [False, False, False]]), -1.0))
case('masked_fill_broadcast', lambda l: l(A).masked_fill(T([False, True, False]), 7.0))
case('masked_fill_int', lambda l: T([[1, 2], [3, 4]]).masked_fill(T([[True, False], [False, True]]), 0))

# sorting
case('sort', lambda l: torch.sort(l([[3.0, 1.0, 2.0, nan], [0.5, -1.0, 4.0, 2.0]])))
case('sort_descending', lambda l: torch.sort(l([[3.0, 1.0, nan, 2.0], [0.5, -1.0, 4.0, 2.0]]), descending=True))
case('sort_dim0', lambda l: torch.sort(l(A), 0))
case('argsort', lambda l: torch.argsort(T([3.0, 1.0, 2.0])))
case('topk', lambda l: torch.topk(l([[3.0, 1.0, 2.0, 5.0], [0.5, -1.0, 4.0, 2.0]]), 2))
case('topk_smallest', lambda l: torch.topk(l([3.0, 1.0, 2.0, 5.0]), 3, largest=False))
case('topk_dim0', lambda l: torch.topk(l(A), 1, 0))
case('topk_too_many', lambda l: torch.topk(T([1.0, 2.0]), 3))
case('cumsum', lambda l: torch.cumsum(l(A), 1))
case('cumsum_dim0', lambda l: torch.cumsum(l(A), 0))
case('cumsum_int', lambda l: torch.cumsum(T([1, 2, 3]), 0))
case('cumsum_bool', lambda l: torch.cumsum(T([True, False, True]), 0))

# reductions
case('var', lambda l: l(V).var())
case('var_dim', lambda l: l(A).var(1))
case('var_biased', lambda l: torch.var(l(A), 0, unbiased=False, keepdim=True))
case('var_dims', lambda l: torch.var(l([[[1.0, 2], [3, 5]], [[-1, 0], [2, 8]]]), (0, 2)))
case('var_single', lambda l: T([2.0]).var())
case('std', lambda l: l(V).std())
case('std_dim_keepdim', lambda l: l(A).std(1, keepdim=True))
case('std_int', lambda l: T([1, 2]).std())
case('amax', lambda l: l([[1.0, 5.0, 5.0], [2.0, 2.0, 0.0]]).amax(1))
case('amax_all_ties', lambda l: l([[1.0, 5.0], [5.0, 2.0]]).amax())
case('amin_dims', lambda l: l([[[1.0, 5.0], [0.0, 0.0]], [[2.0, 2.0], [3.0, 0.0]]]).amin((0, 2), keepdim=True))
case('amax_nan', lambda l: l([1.0, nan, 2.0]).amax())
case('logsumexp', lambda l: torch.logsumexp(l(A), 1))
case('logsumexp_big', lambda l: torch.logsumexp(l([1000.0, 1000.0, -1000.0]), 0))
case('logsumexp_neg_inf', lambda l: torch.logsumexp(T([[-inf, -inf], [0.0, -inf]]), 1))
case('logsumexp_dims_keepdim', lambda l: torch.logsumexp(l([[[1.0, 2], [3, 5]]]), (1, 2), keepdim=True))
case('norm', lambda l: l(A).norm())
case('norm_dim', lambda l: torch.norm(l(A), dim=1))
case('norm_p1', lambda l: torch.norm(l(A), p=1, dim=0))
case('norm_inf', lambda l: torch.norm(l([[1.0, -5.0, 5.0], [2.0, 0.0, -1.0]]), p=inf))
case('norm_p3', lambda l: torch.norm(l(A), p=3))
case('norm_zero_grad', lambda l: torch.norm(l([0.0, 0.0])))
case('norm_int', lambda l: torch.norm(T([3, 4])))
case('prod', lambda l: l(V[:4] + [2.0]).prod())
case('prod_dim', lambda l: l([[1.5, 0.0, 2.0], [2.0, 3.0, -1.0]]).prod(1))
case('prod_two_zeros', lambda l: l([0.0, 2.0, 0.0]).prod())
case('prod_int', lambda l: T([[2, 3], [4, 5]]).prod(0))
case('any', lambda l: T([[0.0, 1.0], [0.0, 0.0]]).any(1))
case('any_all', lambda l: T([0.0, nan]).any())
case('all', lambda l: T([[1, 1], [0, 1]]).all(0))
case('all_bool_keepdim', lambda l: T([[True, True], [False, True]]).all(1, keepdim=True))
case('isclose', lambda l: torch.isclose(T([1.0, 1.0 + 1e-6, nan, inf, 2.0]), T([1.0, 1.0, nan, inf, 2.1])))
case('isclose_nan', lambda l: torch.isclose(T([nan, 1.0]), T([nan, 1.0]), equal_nan=True))
case('isclose_tol', lambda l: torch.isclose(T([1.0, 2.0]), T([1.05, 2.5]), rtol=0.0, atol=0.1))
case('allclose_true', lambda l: torch.allclose(T([1.0, 2.0]), T([1.0, 2.0 + 1e-7])))
case('allclose_false', lambda l: torch.allclose(T([1.0, nan]), T([1.0, nan])))
case('isclose_dtype_mismatch', lambda l: torch.isclose(T([1.0]), T([1.0], dtype=torch.float64)))

# products
case('mm', lambda l: torch.mm(l(A), l([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0]])))
case('mm_not_matrix', lambda l: torch.mm(T(V), T(A)))
case('bmm', lambda l: torch.bmm(l([A, B]), l([[[1.0], [2.0], [0.5]], [[-1.0], [0.0], [1.0]]])))
case('bmm_bad', lambda l: torch.bmm(T([A]), T([[[1.0, 2.0]]])))
case('einsum_matmul', lambda l: torch.einsum('ij,jk->ik', l(A), l([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0]])))
case('einsum_batch', lambda l: torch.einsum('bij,bjk->bik', l([A, B]), l([[[1.0], [2.0], [0.5]], [[-1.0], [0.0], [1.0]]])))
case('einsum_outer', lambda l: torch.einsum('i,j->ij', l([1.0, 2.0]), l([3.0, -1.0, 0.5])))
case('einsum_dot', lambda l: torch.einsum('i,i->', l([1.0, 2.0, 3.0]), l([0.5, -1.0, 2.0])))
case('einsum_transpose', lambda l: torch.einsum('ij->ji', l(A)))
case('einsum_sum', lambda l: torch.einsum('ij->', l(A)))
case('einsum_implicit', lambda l: torch.einsum('ij,jk', l(A), l([[1.0], [2.0], [3.0]])))
case('einsum_bilinear', lambda l: torch.einsum('bi,oij,bj->bo', l(A), l([[[1.0, 0.5], [2.0, 0.0], [0.0, 1.0]]]), l([[1.0, 2.0], [3.0, -1.0]])))
case('einsum_three_way_elementwise', lambda l: torch.einsum('ij,ij->i', l(A), l(B)))
case('einsum_bad_ndim', lambda l: torch.einsum('ijk,jk', T(A), T(A)))

# creation
case('eye', lambda l: torch.eye(3))
case('eye_rect', lambda l: torch.eye(2, 4))
case('eye_int', lambda l: torch.eye(2, dtype=torch.int64))
case('linspace', lambda l: torch.linspace(0, 1, 7))
case('linspace_neg', lambda l: torch.linspace(-2.5, 10, 6))
case('linspace_one', lambda l: torch.linspace(3, 5, 1))
case('linspace_f64', lambda l: torch.linspace(0, 1, 11, dtype=torch.float64))
case('full_like', lambda l: torch.full_like(T([[1, 2]]), 7))
case('full_like_dtype', lambda l: torch.full_like(T([[1, 2]]), 2.5, dtype=torch.float32))

# views and conversions
case('expand_as', lambda l: l([[1.0], [2.0]]).expand_as(T(A)))
case('view_as', lambda l: l(V).view_as(T(A)))
case('type_as', lambda l: T([1.7, -1.7]).type_as(T([1])))

# in place (under no_grad where they change a leaf)
def inplace(fn):
    def run(l):
        x = torch.tensor(A)
        fn(x)
        return x
    return run

case('add_', inplace(lambda x: x.add_(torch.tensor([1.0, 2.0, 3.0]), alpha=2)))
case('sub_', inplace(lambda x: x.sub_(0.5)))
case('mul_', inplace(lambda x: x.mul_(torch.tensor([[2.0], [3.0]]))))
case('div_', inplace(lambda x: x.div_(4)))
case('fill_', inplace(lambda x: x.fill_(2.5)))
case('zero_', inplace(lambda x: x.zero_()))
case('clamp_', inplace(lambda x: x.clamp_(-1.0, 2.0)))
case('copy_broadcast', inplace(lambda x: x.copy_(torch.tensor([1, 2, 3]))))
case('view_mul_', inplace(lambda x: x[:, 1:].mul_(10)))
case('transposed_add_', inplace(lambda x: x.t().add_(torch.tensor([1.0, 2.0]))))
case('add_int_float_error', lambda l: T([1, 2]).add_(0.5))
case('add_broadcast_error', lambda l: T([1.0, 2.0]).add_(T([[1.0], [2.0]])))
case('leaf_in_place_error', lambda l: l([1.0]).add_(1))
# float64, empty and NaN inputs
D = torch.float64
case('f64_sin_cos', lambda l: l(V, D).sin() * l(V, D).cos())
case('f64_cat_flip', lambda l: torch.cat([l(A, D), l(B, D)], 1).flip(1))
case('f64_var_std', lambda l: l(A, D).var(1) + l(A, D).std(0).sum())
case('f64_logsumexp', lambda l: torch.logsumexp(l(A, D), 0))
case('f64_norm', lambda l: torch.norm(l(A, D), dim=1))
case('f64_cumsum', lambda l: torch.cumsum(l(A, D), 1))
case('f64_einsum', lambda l: torch.einsum('ij,kj->ik', l(A, D), l(B, D)))
case('f64_where_gather', lambda l: torch.gather(torch.where(T([True, False, True]), l(A, D), l(B, D)), 1, T([[2, 1], [0, 0]])))
case('f64_prod', lambda l: l([[1.5, -2.0], [0.5, 4.0]], D).prod(0))
case('f64_amax', lambda l: l(A, D).amax(0))
case('empty_cat', lambda l: torch.cat([torch.zeros(0, 3), T(A)]))
case('empty_flip', lambda l: torch.flip(torch.zeros(0, 3), [0]))
case('empty_sort', lambda l: torch.sort(torch.zeros(2, 0)))
case('empty_cumsum', lambda l: torch.cumsum(torch.zeros(0), 0))
case('empty_var', lambda l: torch.zeros(0).var())
case('empty_amax', lambda l: torch.zeros(0, 3).amax(1))
case('empty_amax_all', lambda l: torch.zeros(0).amax())
case('empty_logsumexp', lambda l: torch.logsumexp(torch.zeros(2, 0), 1))
case('empty_prod', lambda l: torch.zeros(2, 0).prod(1))
case('empty_any_all', lambda l: torch.cat([torch.zeros(0).any().reshape(1), torch.zeros(0).all().reshape(1)]))
case('empty_norm', lambda l: torch.zeros(0).norm())
case('empty_einsum', lambda l: torch.einsum('ij,jk->ik', torch.zeros(2, 0), torch.zeros(0, 3)))
case('empty_tril', lambda l: torch.tril(torch.zeros(0, 3)))
case('empty_topk', lambda l: torch.topk(torch.zeros(3), 0))
case('nan_sort_topk', lambda l: torch.topk(l([1.0, nan, 3.0, -inf, inf]), 3))
case('nan_cumsum', lambda l: torch.cumsum(l([1.0, nan, 2.0]), 0))
case('nan_var', lambda l: l([1.0, nan, 2.0]).var())
case('nan_logsumexp', lambda l: torch.logsumexp(l([1.0, nan]), 0))
case('nan_norm', lambda l: torch.norm(l([3.0, nan])))
case('inf_logsumexp', lambda l: torch.logsumexp(T([inf, 1.0]), 0))
case('nan_prod', lambda l: l([2.0, nan, 0.0]).prod())
case('odd_shape_repeat_roll', lambda l: torch.roll(l([[[1.0, 2.0, 3.0]]]).repeat(2, 3, 1), (1, 2), (0, 2)))

torch.manual_seed(0)
uniform = torch.empty(5).uniform_(-2, 3)
normal = torch.empty(5).normal_(1.5, 0.5)
cases['uniform_'] = {'outputs': [entry(uniform)]}
cases['normal_'] = {'outputs': [entry(normal)]}

with open(os.path.join(out_dir, 'tensor_ops.json'), 'w') as f:
    text = json.dumps(cases, indent=0).replace('Infinity', '1e999').replace('NaN', 'null')
    f.write(text)
print(f'{len(cases)} cases')
