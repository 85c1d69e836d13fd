"""The plain decoder of notebook 06 (`PlainMLPDecoder`, eqs. 10-12 as written) against the package's `MLPDecoder`:
seconds per forward + backward pass and peak memory (RSS), each measured in a fresh process, alternating.

    python bench/bench_decoder.py [--reps 3]      # writes bench/results/decoder.json

Paper sizes: batch 128, 256 hidden units, springs-5 (49 steps, 4 features), 2 edge types, M = 10. The plain
decoder is taken from the notebook's own cell, so the benchmark times the code the lesson shows."""
import argparse, json, platform, resource, statistics, subprocess, sys, time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NB = HERE.parent/'nbs'/'06_decoders.ipynb'

def child(which, b, h):
    import torch, nbformat
    from nri_nb.decoders import MLPDecoder
    src = next(c.source for c in nbformat.read(NB, as_version=4).cells if c.source.startswith('class PlainMLPDecoder'))
    g = {}; exec("import torch\nfrom torch import nn\nfrom nri_nb.gnn import fully_connected_graph, node2edge, edge2node\n" + src, g)
    torch.manual_seed(0)
    x, z = torch.randn(b, 5, 49, 4), torch.softmax(torch.randn(b, 20, 2), -1)
    dec = MLPDecoder(4, 2, h, h, h) if which == 'MLPDecoder' else g['PlainMLPDecoder'](4, 2, h, h, h)
    ts = []
    for _ in range(4):
        t0 = time.perf_counter(); dec(x, z, 10).square().mean().backward(); ts.append(time.perf_counter() - t0)
    print(json.dumps(dict(s=statistics.median(ts[1:]), peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--reps', type=int, default=3); ap.add_argument('--child')
    ap.add_argument('--batch', type=int, default=128); ap.add_argument('--hidden', type=int, default=256)
    a = ap.parse_args()
    if a.child: child(a.child, a.batch, a.hidden); sys.exit()
    rows = []
    for rep in range(a.reps):
        for which in ('MLPDecoder', 'PlainMLPDecoder'):
            out = subprocess.run([sys.executable, __file__, '--child', which, '--batch', str(a.batch), '--hidden', str(a.hidden)],
                                 check=True, capture_output=True, text=True).stdout
            rows.append(dict(rep=rep, impl=which, **json.loads(out.strip().splitlines()[-1]))); print(rows[-1], flush=True)
    import torch
    summ = {w: dict(s_fwd_bwd=statistics.median(r['s'] for r in rows if r['impl'] == w),
                    peak_rss_mb=statistics.median(r['peak_rss_mb'] for r in rows if r['impl'] == w)) for w in ('MLPDecoder', 'PlainMLPDecoder')}
    res = dict(settings=dict(batch=a.batch, hidden=a.hidden, n_objects=5, n_timesteps=49, n_edge_types=2, prediction_steps=10),
               summary=summ, rows=rows, machine=dict(processor=platform.processor() or platform.platform(), cpus=torch.get_num_threads(), torch=torch.__version__))
    from nri_nb.core import atomic_write
    with atomic_write(HERE/'results'/'decoder.json') as tmp: Path(tmp).write_text(json.dumps(res, indent=1))
    print(json.dumps(summ, indent=1))
