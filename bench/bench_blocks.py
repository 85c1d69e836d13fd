"""Receivers per block in `_ReceivedMessages` (appendix 06a): the decoder's forward + backward pass with every
block size, at the paper's sizes and at the laptop preset's (springs-5 and springs-10), and the size
`receivers_per_block` picks.

    python bench/bench_blocks.py [--reps 7]      # writes bench/results/blocks.json

One process; the block sizes alternate within each repetition, and each figure is a median."""
import argparse, json, platform, statistics, time
from pathlib import Path
import torch
import nri_nb.decoder_speed as ds
from nri_nb.decoders import MLPDecoder

HERE = Path(__file__).resolve().parent
CASES = {   # name: (objects, hidden, edge types, skip_first, decoded steps)
    'springs5 laptop preset': (5, 64, 2, True, 11),
    'springs10 laptop preset': (10, 64, 2, True, 11),
    'springs5 paper': (5, 256, 2, False, 49)}

def chosen_block(n, hid, k, skip, t, b=128):
    "What `receivers_per_block` picks for the decoder's first step (one chain of `t` steps when t <= M + 1)."
    chains = 1 if t <= 11 else -(-t // 10)
    return ds.receivers_per_block(n, k - int(skip), (n - 1) * b * chains, hid + 1, hid)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--reps', type=int, default=7); ap.add_argument('--batch', type=int, default=128)
    a = ap.parse_args()
    orig, forced = ds.MessageMLPs.received, [None]
    def received(self, pre, z, n_senders, per_block=None, zero_weights=None):
        return orig(self, pre, z, n_senders, per_block=forced[0] or per_block, zero_weights=zero_weights)
    ds.MessageMLPs.received = received
    out = {}
    for name, (n, hid, k, skip, t) in CASES.items():
        torch.manual_seed(0)
        dec = MLPDecoder(4, k, hid, hid, hid, skip_first=skip)
        x = torch.randn(a.batch, n, t, 4)
        z = torch.softmax(torch.randn(a.batch, n * (n - 1), k), -1).requires_grad_()
        sizes = sorted({1, 2, max(1, n // 2), n, chosen_block(n, hid, k, skip, t, a.batch)})
        times = {s: [] for s in sizes}
        reps = a.reps if t <= 11 else max(1, a.reps // 2)
        for r in range(reps + 1):
            for s in sizes:
                forced[0] = s
                t0 = time.perf_counter(); dec(x, z, 10).square().mean().backward(); dt = time.perf_counter() - t0
                if r: times[s].append(dt)
        forced[0] = None
        med = {s: statistics.median(v) for s, v in times.items()}
        best = min(med, key=med.get)
        out[name] = dict(settings=dict(n_objects=n, hidden=hid, n_edge_types=k, skip_first=skip, steps=t, batch=a.batch),
                         ms_by_block={str(s): round(v * 1e3, 2) for s, v in med.items()}, chosen=chosen_block(n, hid, k, skip, t, a.batch),
                         fastest=best, chosen_vs_one_per_block=round(med[1] / med[chosen_block(n, hid, k, skip, t, a.batch)], 3))
        print(name, out[name], flush=True)
    res = dict(cases=out, reps=a.reps, machine=dict(processor=platform.processor() or platform.platform(), threads=torch.get_num_threads(), torch=torch.__version__))
    from nri_nb.core import atomic_write
    with atomic_write(HERE/'results'/'blocks.json') as tmp: Path(tmp).write_text(json.dumps(res, indent=1))
