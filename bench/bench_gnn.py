"""MLP encoder forward+backward: gather/scatter vs the dense one-hot incidence form (eqs. 21-22).

Writes bench/results/gnn.json: a side-by-side comparison at N=5 and N=50, and a cost curve for N=5..100
(used by the plot in nbs/01_gnn.ipynb). Both forms are timed interleaved in the same process, so
contention from other jobs hits both; report ratios. Run from the repository root:

    .venv/bin/python bench/bench_gnn.py            # full run (one to two minutes on 1 thread)
    .venv/bin/python bench/bench_gnn.py --quick    # a smoke test
"""
from __future__ import annotations
import argparse, json, os, platform, statistics, time
from pathlib import Path
import torch
from nri_nb.core import atomic_write, seed_everything
from nri_nb.encoders import MLPEncoder
from nri_nb.gnn import fully_connected_graph, incidence_matrices, node2edge, edge2node, node2edge_dense, edge2node_dense


def time_fwd_bwd(n_objects, batch, n_hid, n_steps, n_feat, reps, warmup=2):
    "Median seconds of one forward+backward of MLPEncoder, gather/scatter and dense, timed interleaved."
    seed_everything(0)
    x = torch.randn(batch, n_objects, n_steps, n_feat)
    encs = {'gather': MLPEncoder(n_steps * n_feat, n_hid, 2)}
    encs['dense'] = MLPEncoder(n_steps * n_feat, n_hid, 2, dense=True)
    encs['dense'].load_state_dict(encs['gather'].state_dict())
    out = {k: [] for k in encs}
    for r in range(warmup + reps):
        for name, enc in (encs.items() if r % 2 == 0 else reversed(list(encs.items()))):
            enc.zero_grad(set_to_none=True)
            t0 = time.perf_counter()
            enc(x).square().mean().backward()
            dt = time.perf_counter() - t0
            if r >= warmup: out[name].append(dt)
    res = {k: statistics.median(v) for k, v in out.items()}
    best = {k: min(v) for k, v in out.items()}
    return dict(n_objects=n_objects, n_edges=n_objects * (n_objects - 1),
                gather_ms=1e3 * res['gather'], dense_ms=1e3 * res['dense'],
                dense_over_gather=res['dense'] / res['gather'],
                gather_min_ms=1e3 * best['gather'], dense_min_ms=1e3 * best['dense'],
                dense_over_gather_min=best['dense'] / best['gather'], reps=reps)


def time_message_passing(n_objects, batch, n_hid, reps, warmup=2):
    "Median seconds of node2edge + edge2node forward+backward alone (no MLPs), both forms, interleaved."
    seed_everything(0)
    x = torch.randn(batch, n_objects, n_hid, requires_grad=True)
    s, r = fully_connected_graph(n_objects); send, recv = incidence_matrices(n_objects)
    fns = {'gather': lambda: edge2node(node2edge(x, s, r), r, n_objects),
           'dense': lambda: edge2node_dense(node2edge_dense(x, send, recv), recv)}
    out = {k: [] for k in fns}
    for i in range(warmup + reps):
        for name, f in (fns.items() if i % 2 == 0 else reversed(list(fns.items()))):
            x.grad = None
            t0 = time.perf_counter(); f().square().sum().backward(); dt = time.perf_counter() - t0
            if i >= warmup: out[name].append(dt)
    res = {k: statistics.median(v) for k, v in out.items()}
    best = {k: min(v) for k, v in out.items()}
    return dict(mp_dense_over_gather_min=best['dense'] / best['gather'], mp_gather_ms=1e3 * res['gather'], mp_dense_ms=1e3 * res['dense'], mp_dense_over_gather=res['dense'] / res['gather'])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--threads', type=int, default=1, help='torch intra-op threads')
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--hid', type=int, default=64)
    ap.add_argument('--steps', type=int, default=49)
    ap.add_argument('--reps', type=int, default=15)
    ap.add_argument('--curve-batch', type=int, default=4)
    ap.add_argument('--curve-reps', type=int, default=9)
    ap.add_argument('--quick', action='store_true', help='tiny sizes, for a smoke test')
    ap.add_argument('--out', default='bench/results/gnn.json')
    a = ap.parse_args(argv)
    if a.quick: a.reps, a.curve_reps, a.batch = 3, 2, 4
    torch.set_num_threads(a.threads)
    load_start = os.getloadavg()
    cfg = dict(batch=a.batch, n_hid=a.hid, n_steps=a.steps, n_feat=4, reps=a.reps)
    head = [time_fwd_bwd(n, a.batch, a.hid, a.steps, 4, a.reps) | time_message_passing(n, a.batch, a.hid, a.reps) for n in (5, 50)]
    for r in head: print(f"N={r['n_objects']:3d}  gather {r['gather_ms']:8.2f} ms  dense {r['dense_ms']:8.2f} ms  "
                         f"dense/gather {r['dense_over_gather']:.2f} (min: {r['dense_over_gather_min']:.2f})   message passing alone: dense/gather {r['mp_dense_over_gather']:.2f}", flush=True)
    curve_ns = (5, 10, 20) if a.quick else (5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100)
    curve = []
    for n in curve_ns:
        curve.append(time_fwd_bwd(n, a.curve_batch, a.hid, a.steps, 4, a.curve_reps) | time_message_passing(n, a.curve_batch, a.hid, a.curve_reps))
        r = curve[-1]
        print(f"curve N={n:3d}  gather {r['gather_ms']:8.2f} ms  dense {r['dense_ms']:8.2f} ms  ratio {r['dense_over_gather']:.2f}  mp ratio {r['mp_dense_over_gather']:.2f}", flush=True)
    result = dict(
        what='MLPEncoder forward+backward, median (and min) ms per step over reps, both forms timed interleaved; gather/scatter (index_select/index_add) vs dense one-hot incidence matmuls',
        command='.venv/bin/python bench/bench_gnn.py' + (' --quick' if a.quick else ''),
        machine=dict(platform=platform.platform(), processor=platform.processor() or platform.machine(),
                     cpu_count=os.cpu_count(), python=platform.python_version(), torch=torch.__version__,
                     torch_threads=torch.get_num_threads(), loadavg_start=load_start, loadavg_end=os.getloadavg()),
        config=cfg, head_to_head=head,
        curve=dict(batch=a.curve_batch, n_hid=a.hid, n_steps=a.steps, reps=a.curve_reps, points=curve),
        date=time.strftime('%Y-%m-%d %H:%M:%S'))
    with atomic_write(Path(a.out)) as tmp: tmp.write_text(json.dumps(result, indent=1))
    print('wrote', a.out)


if __name__ == '__main__':
    main()
