"""Per-sample cost of a training step of the quick preset at several batch sizes (charged-5 by default): does a
larger batch buy more samples per second on the CPU?

    python bench/bench_batch.py [--sim charged --n-objects 5 --reps 5 --steps 10]   # writes bench/results/batch_{sim}{N}.json

One process, freed memory kept as `train` keeps it; the batch sizes alternate within each repetition, and each figure is a median."""
import torch
from nri_nb.core import keep_freed_memory
from nri_nb.model import build_nri
from _step_common import setup, timed_steps, write_result

BATCHES = (128, 32, 64, 256, 512)

if __name__ == '__main__':
    kept = keep_freed_memory()   # as `train` does: without it, larger batches pay for unmapping and faulting in their larger tensors
    a, cfg, x0 = setup(__doc__, 'charged', reps=5, steps=10)
    torch.manual_seed(0)
    xs = {b: torch.rand(b, *x0.shape[1:]) * 2 - 1 for b in BATCHES}
    runs = {}
    for b in BATCHES:
        m = build_nri(**cfg.model_kwargs(None))
        runs[b] = (m, torch.optim.Adam(m.parameters(), lr=cfg.lr))
    g = torch.Generator().manual_seed(1)
    times = {f'batch {b}, per 128 samples': [] for b in BATCHES}
    for r in range(a.reps + 1):
        for b, (m, opt) in runs.items():
            sec, _ = timed_steps(m, opt, xs[b], cfg, g, a.steps)
            if r: times[f'batch {b}, per 128 samples'].append(sec * 128 / b)
    write_result(a, cfg, times, f'batch_{a.sim}{a.n_objects}', keep_freed_memory=kept)
