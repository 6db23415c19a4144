#!/usr/bin/python3
"""Writes PyTorch 1.13's nll_loss and cross_entropy for every option torchlit takes (run with Debian's python3-torch).

usage: /usr/bin/python3 scripts/make_loss_fixtures.py test/fixtures

losses.json: a list of cases, each with the function, its input (values, shape, dtype), target,
options, and PyTorch's loss and input gradient (the gradient of loss.sum() for reduction='none'),
or the error PyTorch raises.
"""
import json, math, os, sys
import torch, torch.nn.functional as F

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'
torch.manual_seed(0)


def flat(t):
    return [None if math.isnan(v) else v for v in t.detach().reshape(-1).tolist()]


def case(fn, shape, target, dtype=torch.float32, prob=False, **opts):
    x = (torch.randn(*shape, dtype=torch.float64) * 2).to(dtype).requires_grad_()
    inp = x if fn == 'cross_entropy' else F.log_softmax(x.detach(), dim=1 if x.ndim > 1 else 0).requires_grad_()
    kw = dict(opts)
    if 'weight' in kw:
        kw['weight'] = torch.tensor(kw['weight'], dtype=dtype)
    entry = {'fn': fn, 'input': flat(inp), 'shape': list(shape), 'dtype': str(dtype).replace('torch.', ''),
             'target': flat(target), 'target_shape': list(target.shape), 'prob': prob, 'options': opts}
    try:
        loss = getattr(F, fn)(inp, target, **kw)
        (loss.sum() if loss.ndim else loss).backward()
        entry.update(loss=flat(loss), loss_shape=list(loss.shape), grad=flat(inp.grad))
    except Exception as e:  # the error PyTorch raises
        entry['error'] = str(e).split('\n')[0]
    return entry


cases = []
for fn in ['nll_loss', 'cross_entropy']:
    for dtype in [torch.float32, torch.float64]:
        t = torch.tensor([0, 3, 1, 4, 3, 2])
        for reduction in ['mean', 'sum', 'none']:
            cases.append(case(fn, (6, 5), t, dtype, reduction=reduction))
            cases.append(case(fn, (6, 5), t, dtype, reduction=reduction, weight=[0.2, 1.0, 2.5, 0.7, 1.3]))
            cases.append(case(fn, (6, 5), torch.tensor([0, -100, 1, 4, -100, 2]), dtype, reduction=reduction))
            cases.append(case(fn, (6, 5), t, dtype, reduction=reduction, ignore_index=3))
            cases.append(case(fn, (6, 5), t, dtype, reduction=reduction, ignore_index=3, weight=[0.2, 1.0, 2.5, 0.7, 1.3]))
            cases.append(case(fn, (4, 3, 2, 3), torch.randint(0, 3, (4, 2, 3)), dtype, reduction=reduction))
            cases.append(case(fn, (2, 4, 5), torch.tensor([[0, 1, 2, 3, 1], [3, 3, 0, 1, 2]]), dtype, reduction=reduction, weight=[1.0, 0.5, 2.0, 1.5], ignore_index=1))
            cases.append(case(fn, (5,), torch.tensor(2), dtype, reduction=reduction))
            if fn == 'cross_entropy':
                for eps in [0.1, 0.35]:
                    cases.append(case(fn, (6, 5), t, dtype, reduction=reduction, label_smoothing=eps))
                    cases.append(case(fn, (6, 5), t, dtype, reduction=reduction, label_smoothing=eps, weight=[0.2, 1.0, 2.5, 0.7, 1.3]))
                    cases.append(case(fn, (6, 5), torch.tensor([0, -100, 1, 4, -100, 2]), dtype, reduction=reduction, label_smoothing=eps))
                    cases.append(case(fn, (6, 5), t, dtype, reduction=reduction, label_smoothing=eps, ignore_index=3, weight=[0.2, 1.0, 2.5, 0.7, 1.3]))
                    cases.append(case(fn, (3, 4, 2), torch.randint(0, 4, (3, 2)), dtype, reduction=reduction, label_smoothing=eps))
                probs = torch.softmax(torch.randn(6, 5, dtype=torch.float64), 1).to(dtype)
                cases.append(case(fn, (6, 5), probs, dtype, prob=True, reduction=reduction))
                cases.append(case(fn, (6, 5), probs, dtype, prob=True, reduction=reduction, weight=[0.2, 1.0, 2.5, 0.7, 1.3]))
                cases.append(case(fn, (6, 5), probs, dtype, prob=True, reduction=reduction, label_smoothing=0.2, weight=[0.2, 1.0, 2.5, 0.7, 1.3]))
                cases.append(case(fn, (2, 3, 4), torch.softmax(torch.randn(2, 3, 4), 1).to(dtype), dtype, prob=True, reduction=reduction))
    # every target ignored: the mean is 0 / 0
    cases.append(case(fn, (3, 4), torch.tensor([-100, -100, -100])))
    # errors
    cases.append(case(fn, (3, 4), torch.tensor([0, 4, 1])))
    cases.append(case(fn, (3, 4), torch.tensor([0, 1])))
    cases.append(case(fn, (3, 4), torch.tensor([0, 1, 2]), weight=[1.0, 2.0]))
cases.append(case('cross_entropy', (3, 4), torch.tensor([0, 1, 2]), label_smoothing=1.5))

with open(os.path.join(out_dir, 'losses.json'), 'w') as f:
    json.dump(cases, f, separators=(',', ':'))
print(f'{len(cases)} cases')


# The elementwise losses: mse_loss, l1_loss, smooth_l1_loss, huber_loss, binary_cross_entropy(_with_logits), kl_div.
def elementwise(fn, shape, dtype, kind, **opts):
    x = torch.randn(*shape, dtype=torch.float64)
    y = torch.randn(*shape, dtype=torch.float64)
    if kind == 'prob':
        x, y = torch.sigmoid(x), torch.rand(*shape, dtype=torch.float64)
    elif kind == 'binary':
        y = (torch.rand(*shape, dtype=torch.float64) > 0.5).double()
    elif kind == 'logprob':
        x = F.log_softmax(x, -1)
        y = torch.softmax(y, -1)
        y[..., 0] = 0
        y = y / y.sum(-1, keepdim=True)
    elif kind == 'logtarget':
        x, y = F.log_softmax(x, -1), F.log_softmax(y, -1)
    x = x.to(dtype).requires_grad_()
    y = y.to(dtype)
    kw = dict(opts)
    for k in ['weight', 'pos_weight']:
        if k in kw:
            kw[k] = torch.tensor(kw[k], dtype=dtype)
    entry = {'fn': fn, 'input': flat(x), 'shape': list(shape), 'dtype': str(dtype).replace('torch.', ''),
             'target': flat(y), 'target_shape': list(shape), 'prob': True, 'options': opts}
    try:
        loss = getattr(F, fn)(x, y, **kw)
        (loss.sum() if loss.ndim else loss).backward()
        entry.update(loss=flat(loss), loss_shape=list(loss.shape), grad=flat(x.grad))
    except Exception as e:
        entry['error'] = str(e).split('\n')[0]
    return entry


elementwise_cases = []
for dtype in [torch.float32, torch.float64]:
    for reduction in ['mean', 'sum', 'none']:
        for shape in [(4, 3), (2, 3, 2)]:
            elementwise_cases.append(elementwise('mse_loss', shape, dtype, 'plain', reduction=reduction))
            elementwise_cases.append(elementwise('l1_loss', shape, dtype, 'plain', reduction=reduction))
            for beta in [1.0, 0.3, 0.0]:
                elementwise_cases.append(elementwise('smooth_l1_loss', shape, dtype, 'plain', reduction=reduction, beta=beta))
            for delta in [1.0, 0.4]:
                elementwise_cases.append(elementwise('huber_loss', shape, dtype, 'plain', reduction=reduction, delta=delta))
            elementwise_cases.append(elementwise('binary_cross_entropy', shape, dtype, 'prob', reduction=reduction))
            elementwise_cases.append(elementwise('binary_cross_entropy_with_logits', shape, dtype, 'binary', reduction=reduction))
            elementwise_cases.append(elementwise('kl_div', shape, dtype, 'logprob', reduction=reduction))
            elementwise_cases.append(elementwise('kl_div', shape, dtype, 'logtarget', reduction=reduction, log_target=True))
        elementwise_cases.append(elementwise('binary_cross_entropy', (4, 3), dtype, 'prob', reduction=reduction, weight=[0.5, 1.0, 2.0]))
        elementwise_cases.append(elementwise('binary_cross_entropy_with_logits', (4, 3), dtype, 'binary', reduction=reduction, weight=[0.5, 1.0, 2.0], pos_weight=[1.0, 3.0, 0.5]))
    elementwise_cases.append(elementwise('kl_div', (4, 3), dtype, 'logprob', reduction='batchmean'))
with open(os.path.join(out_dir, 'elementwise_losses.json'), 'w') as f:
    json.dump(elementwise_cases, f, separators=(',', ':'))
print(f'{len(elementwise_cases)} elementwise cases')
