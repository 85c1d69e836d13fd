#!/usr/bin/env bash
# The GPU checks of issue 5, as one script for a CUDA machine (run from the repository root):
#   1. the paper preset's epoch time on the GPU (2 epochs of `nri-train --preset paper`; the 2nd is the steady one),
#   2. `nbdev-test --flags cuda`: every notebook, the `#| cuda` cells included, on the GPU,
#   3. the quick-preset candidates' learning curves (bench/sweep_quick.py curves), many runs at once.
# Results go to $OUT (default runs/gpu). Needs torch with CUDA, and nbdev (and ipywidgets, for 05) for step 2.
#   STEPS="paper nbdev sweep" (the default) picks steps; SWEEP_ARGS replaces the sweep's run list; NBDEV_ARGS adds nbdev-test options (e.g. --file-re '07a').
set -u
OUT=${OUT:-runs/gpu}; mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
PY=${PY:-python3}
SWEEP_DEADLINE=${SWEEP_DEADLINE:-360}
STEPS=${STEPS:-paper nbdev sweep}; NBDEV_ARGS=${NBDEV_ARGS:-}
DEV=${DEV:-cuda}; N_TRAIN=${N_TRAIN:-50000}; NB=${NB:-}   # DEV=cpu N_TRAIN=512 NB=nbs/00_core.ipynb: a dry run anywhere
W=$(mktemp -d)
t0=$(date +%s)
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$OUT/gpu.txt"
$PY -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name())" | tee -a "$OUT/gpu.txt"

has() { [[ " $STEPS " == *" $1 "* ]]; }
if has paper || has sweep; then
echo "== data (springs-5, 50k/2k/10k)"
$PY -c "
import time; from nri_nb.data import generate_dataset
t = time.perf_counter(); generate_dataset('$W/data', sim='springs', n_objects=5, n_train=$N_TRAIN, n_valid=2_000, n_test=10_000, seed=42, progress=False)
print(f'generated in {time.perf_counter() - t:.1f} s')"
fi

if has paper; then
echo "== 1. paper preset, 2 epochs on the GPU"
$PY -c "
import json
from nri_nb.train import make_config, train
cfg = make_config('paper', data_dir='$W/data', epochs=2, n_train=$N_TRAIN)
m = train(cfg, '$W/paper', device='$DEV', progress=False, verbose=True)
rows = [json.loads(l) for l in open('$W/paper/metrics.jsonl')]
r = dict(device='$DEV', epoch_seconds=[x['epoch_seconds'] for x in rows], batch_size=cfg.batch_size, n_train=cfg.n_train, valid_edge_accuracy=[x['valid_edge_accuracy'] for x in rows], test_edge_accuracy=m['edge_accuracy'])
print(json.dumps(r)); open('$OUT/paper_gpu.json', 'w').write(json.dumps(r, indent=1))
" 2>&1 | tail -8
fi

SWEEP=
if has sweep; then
echo "== 3. sweep (background, deadline ${SWEEP_DEADLINE} s)"
cp bench/results/sweep_quick.json "$W/sweep.json"
$PY bench/sweep_quick.py curves --device $DEV --n-train $N_TRAIN --parallel 12 --deadline "$SWEEP_DEADLINE" --workdir "$W/sweep" \
    --data-dir "$W/data" --out "$W/sweep.json" ${SWEEP_ARGS:---seeds 1 --seeds2 2 --names2 w20-e128,w20-e128-b64,w20-e256,w20-e128-lr2} \
    > "$OUT/sweep.log" 2>&1 &
SWEEP=$!
fi

if has nbdev; then
echo "== 2. nbdev-test --flags cuda (all notebooks, on the GPU)"
timeout 300 $PY -c "import sys; from nbdev.test import nbdev_test; sys.argv = ['nbdev-test', '--flags', 'cuda', '--n-workers', '4', '--timing'] + '$NBDEV_ARGS'.split() + ['$NB'] * bool('$NB'); nbdev_test()" \
    > "$OUT/nbdev_test.log" 2>&1; echo "nbdev-test exit $?" | tee -a "$OUT/nbdev_test.log"
tail -5 "$OUT/nbdev_test.log"
fi

if [ -n "$SWEEP" ]; then
wait $SWEEP; echo "sweep exit $?"
cp "$W/sweep.json" "$OUT/sweep_quick.json"
tail -16 "$OUT/sweep.log"
fi
echo "total $(( $(date +%s) - t0 )) s"
