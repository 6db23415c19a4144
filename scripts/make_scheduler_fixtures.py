#!/usr/bin/python3
"""Writes PyTorch 1.13's learning-rate schedules (run with Debian's python3-torch).

usage: /usr/bin/python3 scripts/make_scheduler_fixtures.py test/fixtures

schedulers.json: for each scheduler and option set, the learning rate (and the momentum, or Adam's
beta1, where the scheduler cycles it) of each parameter group after construction and after every
step() call. Two groups (lr 0.1 and 0.02) on SGD with momentum 0.9, or on Adam.
"""
import json, math, os, sys
import torch
from torch.optim import lr_scheduler as S

out_dir = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures'

LAMBDAS = {
    'pow095': lambda e: 0.95 ** e,
    'inverse': lambda e: 1 / (e + 1),
    'halve_every_3': lambda e: 0.5 if e % 3 == 0 else 1.0,
}


def optimizer(kind):
    a, b = torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(3))
    groups = [{'params': [a], 'lr': 0.1}, {'params': [b], 'lr': 0.02}]
    if kind == 'adam':
        return torch.optim.Adam(groups, lr=0.1)
    return torch.optim.SGD(groups, lr=0.1, momentum=0.9)


def build(name, opt, args):
    a = dict(args)
    if name in ('LambdaLR', 'MultiplicativeLR'):
        fn = a.pop('lr_lambda')
        a['lr_lambda'] = [LAMBDAS[f] for f in fn] if isinstance(fn, list) else LAMBDAS[fn]
    if name == 'SequentialLR':
        subs = [build(n, opt, sa) for n, sa in a.pop('schedulers')]
        return S.SequentialLR(opt, subs, **a)
    if name == 'ChainedScheduler':
        return S.ChainedScheduler([build(n, opt, sa) for n, sa in a.pop('schedulers')])
    return getattr(S, name)(opt, **a)


def snapshot(opt, cycles):
    row = {'lr': [g['lr'] for g in opt.param_groups]}
    if cycles == 'momentum':
        row['momentum'] = [g['momentum'] for g in opt.param_groups]
    if cycles == 'beta1':
        row['beta1'] = [g['betas'][0] for g in opt.param_groups]
    return row


CASES = [
    ('StepLR', {'step_size': 3}, 10),
    ('StepLR', {'step_size': 2, 'gamma': 0.5}, 7),
    ('MultiStepLR', {'milestones': [2, 5, 5, 8]}, 12),
    ('MultiStepLR', {'milestones': [3], 'gamma': 0.25}, 6),
    ('ConstantLR', {}, 8),
    ('ConstantLR', {'factor': 0.5, 'total_iters': 3}, 6),
    ('LinearLR', {}, 8),
    ('LinearLR', {'start_factor': 0.1, 'end_factor': 0.6, 'total_iters': 4}, 7),
    ('ExponentialLR', {'gamma': 0.9}, 15),
    ('PolynomialLR', {'total_iters': 6, 'power': 2.0}, 9),
    ('PolynomialLR', {}, 7),
    ('LambdaLR', {'lr_lambda': 'pow095'}, 10),
    ('LambdaLR', {'lr_lambda': ['inverse', 'pow095']}, 10),
    ('MultiplicativeLR', {'lr_lambda': 'halve_every_3'}, 10),
    ('CosineAnnealingLR', {'T_max': 10}, 25),
    ('CosineAnnealingLR', {'T_max': 7, 'eta_min': 0.001}, 30),
    ('CosineAnnealingWarmRestarts', {'T_0': 4}, 13),
    ('CosineAnnealingWarmRestarts', {'T_0': 3, 'T_mult': 2, 'eta_min': 0.005}, 25),
    ('SequentialLR', {'schedulers': [('LinearLR', {'start_factor': 0.1, 'total_iters': 3}),
                                     ('CosineAnnealingLR', {'T_max': 8})], 'milestones': [3]}, 14),
    ('SequentialLR', {'schedulers': [('ConstantLR', {'factor': 0.5, 'total_iters': 2}),
                                     ('ExponentialLR', {'gamma': 0.8}),
                                     ('StepLR', {'step_size': 2})], 'milestones': [2, 5]}, 10),
    ('ChainedScheduler', {'schedulers': [('ConstantLR', {'factor': 0.5, 'total_iters': 3}),
                                         ('ExponentialLR', {'gamma': 0.9})]}, 8),
    ('OneCycleLR', {'max_lr': 0.5, 'total_steps': 20}, 19),
    ('OneCycleLR', {'max_lr': [0.4, 0.05], 'epochs': 3, 'steps_per_epoch': 5, 'pct_start': 0.25,
                    'anneal_strategy': 'linear', 'div_factor': 10.0, 'final_div_factor': 100.0}, 14),
    ('OneCycleLR', {'max_lr': 0.3, 'total_steps': 30, 'three_phase': True}, 29),
    ('OneCycleLR', {'max_lr': 0.3, 'total_steps': 12, 'cycle_momentum': False}, 11),
    ('CyclicLR', {'base_lr': 0.01, 'max_lr': 0.1, 'step_size_up': 4}, 20),
    ('CyclicLR', {'base_lr': [0.01, 0.002], 'max_lr': [0.1, 0.05], 'step_size_up': 3, 'step_size_down': 5,
                  'mode': 'triangular2'}, 30),
    ('CyclicLR', {'base_lr': 0.01, 'max_lr': 0.1, 'step_size_up': 2, 'mode': 'exp_range', 'gamma': 0.9,
                  'cycle_momentum': False}, 16),
]
results = []
for i, (name, args, steps) in enumerate(CASES):
    # OneCycleLR's first case also runs on Adam, whose beta1 it cycles.
    for kind in ['sgd', 'adam'] if (name, args) == ('OneCycleLR', {'max_lr': 0.5, 'total_steps': 20}) else ['sgd']:
        opt = optimizer(kind)
        sched = build(name, opt, args)
        cycles = None
        if name in ('OneCycleLR', 'CyclicLR') and args.get('cycle_momentum', True):
            cycles = 'beta1' if kind == 'adam' else 'momentum'
        rows = [snapshot(opt, cycles)]
        for _ in range(steps):
            opt.step()
            sched.step()
            rows.append(snapshot(opt, cycles))
        results.append({'name': name, 'args': args, 'optimizer': kind, 'steps': steps, 'rows': rows})

# ReduceLROnPlateau: the rate after each step(metric).
metrics = [1.0, 0.9, 0.95, 0.95, 0.96, 0.97, 0.89, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]
for args in [{'patience': 2}, {'mode': 'max', 'factor': 0.5, 'patience': 1, 'cooldown': 2},
             {'threshold': 0.1, 'threshold_mode': 'abs', 'patience': 0, 'min_lr': [0.005, 0.0015]},
             {'factor': 0.5, 'patience': 1, 'eps': 0.04}]:
    opt = optimizer('sgd')
    sched = S.ReduceLROnPlateau(opt, **args)
    rows = [snapshot(opt, None)]
    for m in metrics:
        opt.step()
        sched.step(m)
        rows.append(snapshot(opt, None))
    results.append({'name': 'ReduceLROnPlateau', 'args': args, 'optimizer': 'sgd', 'metrics': metrics, 'rows': rows})

# Errors PyTorch raises for bad arguments.
errors = []
def expect(label, fn):
    try:
        fn()
        errors.append({'case': label, 'error': None})
    except Exception as e:
        errors.append({'case': label, 'error': f'{type(e).__name__}: {e}'})
expect('ConstantLR factor 2', lambda: S.ConstantLR(optimizer('sgd'), factor=2))
expect('LinearLR start_factor 0', lambda: S.LinearLR(optimizer('sgd'), start_factor=0, total_iters=2))
expect('CosineAnnealingWarmRestarts T_0 0', lambda: S.CosineAnnealingWarmRestarts(optimizer('sgd'), T_0=0))
expect('OneCycleLR no steps', lambda: S.OneCycleLR(optimizer('sgd'), max_lr=0.1))
expect('OneCycleLR pct_start 1.5', lambda: S.OneCycleLR(optimizer('sgd'), max_lr=0.1, total_steps=10, pct_start=1.5))
expect('ReduceLROnPlateau factor 1', lambda: S.ReduceLROnPlateau(optimizer('sgd'), factor=1.0))
expect('SequentialLR milestones', lambda: S.SequentialLR(optimizer('sgd'), [S.StepLR(optimizer('sgd'), 2)], milestones=[1]))
def past_total():
    o = optimizer('sgd'); s = S.OneCycleLR(o, max_lr=0.1, total_steps=3)
    for _ in range(4):
        o.step(); s.step()
expect('OneCycleLR past total_steps', past_total)

with open(os.path.join(out_dir, 'schedulers.json'), 'w') as f:
    json.dump({'cases': results, 'errors': errors}, f, separators=(',', ':'))
print(f'{len(results)} schedules, {len(errors)} errors')
