"""Benchmark the simulators of `nri_nb.sims` (issue 3) and write JSON.

Measures, in one run:
- the per-simulation time of the notebook's naive loops (the very functions of nbs/02_simulations.ipynb, read
  from the notebook) and of the batched simulators, for springs, charged and Kuramoto (49 frames each), and their ratio;
- the wall time of the paper's full springs-5 data set (50k + 10k trajectories of 49 frames, 10k of 99) written
  to disk by `generate_dataset`, in a fresh subprocess that also records its peak memory (ru_maxrss) above the
  baseline after imports, against the bytes written.

    python bench/bench_sims.py                  # full run, CPU -> bench/results/sims.json
    python bench/bench_sims.py --quick          # small sizes, a minute or so
    python bench/bench_sims.py --device cuda --out bench/results/sims_cuda.json
"""
import argparse, ast, json, os, platform, resource, subprocess, sys, tempfile, time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
NAIVE = ('reflect_naive', 'leapfrog_naive', 'spring_pair_force', 'coulomb_pair_force', 'kuramoto_naive')


def naive_functions():
    "The naive teaching loops, executed from the notebook's own cells (so the benchmark times exactly them)."
    nb = json.loads((ROOT / 'nbs' / '02_simulations.ipynb').read_text())
    ns = dict(np=np)
    for cell in nb['cells']:
        if cell['cell_type'] != 'code': continue
        src = ''.join(cell['source'])
        try: tree = ast.parse(src)
        except SyntaxError: continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in NAIVE:
                exec(compile(ast.Module([node], []), '02_simulations.ipynb', 'exec'), ns)
    missing = [n for n in NAIVE if n not in ns]
    if missing: raise RuntimeError(f"naive functions {missing} not found in nbs/02_simulations.ipynb")
    return ns


def rss_mib():
    "Peak resident set size of this process so far, MiB (Linux reports KiB)."
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine(threads):
    cpu = ''
    try: cpu = next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name'))
    except Exception: pass
    return dict(platform=platform.platform(), python=platform.python_version(), cpu=cpu, cpu_count=os.cpu_count(),
                torch=torch.__version__, torch_threads=threads, numpy=np.__version__,
                cuda=torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
                loadavg=list(os.getloadavg()))


def time_naive(ns, sim, n, T, seed=0):
    "Seconds per simulation of the notebook's loop, over `n` simulations."
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    for _ in range(n):
        if sim == 'kuramoto':
            k = np.triu((rng.random((5, 5)) < 0.5).astype(float), 1); k = k + k.T
            ns['kuramoto_naive'](rng.uniform(0, 2 * np.pi, 5), rng.uniform(1, 10, 5), k, T)
        else:
            v = rng.normal(size=(5, 2)); v *= 0.5 / np.linalg.norm(v, axis=1, keepdims=True)
            if sim == 'springs':
                c = np.triu((rng.random((5, 5)) < 0.5).astype(float), 1); c = c + c.T
                ns['leapfrog_naive'](rng.normal(0, 0.5, (5, 2)), v, ns['spring_pair_force'](c), T)
            else:
                q = np.where(rng.random(5) < 0.5, 1., -1.)
                ns['leapfrog_naive'](rng.normal(0, 1, (5, 2)), v, ns['coulomb_pair_force'](q), T)
    return (time.perf_counter() - t0) / n


def time_batched(sim, n, T, device, repeats=2):
    "Best of `repeats` seconds per simulation of the batched simulator over `n` simulations."
    from nri_nb.sims import simulate
    simulate(sim, min(n, 64), 5, 2, seed=1, device=device)             # warm up
    best = float('inf')
    for r in range(repeats):
        if device.startswith('cuda'): torch.cuda.synchronize()
        t0 = time.perf_counter()
        simulate(sim, n, 5, T, seed=r, device=device)
        if device.startswith('cuda'): torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t0)
    return best / n


def dataset_child(args):
    "Run in a fresh process: generate the data set, print JSON with time and memory."
    torch.set_num_threads(args.threads)
    from nri_nb.data import generate_dataset, read_manifest
    from nri_nb.sims import simulate
    simulate('springs', 64, 5, 2, device=args.device)                  # imports and first-call costs out of the way
    base = rss_mib()
    with tempfile.TemporaryDirectory(dir=args.tmp) as d:
        out = Path(d) / 'springs5'
        t0 = time.perf_counter()
        generate_dataset(out, 'springs', 5, args.n_train, args.n_valid, args.n_test, seed=42, device=args.device,
                         progress=False, chunk_size=args.chunk_size)
        wall = time.perf_counter() - t0
        peak = rss_mib()
        m = read_manifest(out, verify=False)
        sizes = {p.name: p.stat().st_size for p in out.iterdir()}
    train_bytes = sum(v for k, v in sizes.items() if k.endswith('_train.npy'))
    total = sum(sizes.values())
    print(json.dumps(dict(
        n_train=args.n_train, n_valid=args.n_valid, n_test=args.n_test, frames_train_valid=49, frames_test=99,
        leapfrog_steps=(args.n_train + args.n_valid) * 49 * 100 + args.n_test * 99 * 100,
        wall_s=round(wall, 2), device=args.device, chunk_size=args.chunk_size, torch_threads=args.threads,
        rss_baseline_mib=round(base, 1), rss_peak_mib=round(peak, 1), rss_peak_increase_mib=round(peak - base, 1),
        bytes_written_total=total, bytes_written_train=train_bytes,
        peak_increase_over_train_bytes=round((peak - base) * 2**20 / train_bytes, 2),
        peak_increase_over_total_bytes=round((peak - base) * 2**20 / total, 2),
        file_shapes={s: v['files']['x']['shape'] for s, v in m['splits'].items()})))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--quick', action='store_true', help='small sizes (about a minute)')
    p.add_argument('--device', default='cpu')
    p.add_argument('--threads', type=int, default=2, help='torch threads (the simulators use one per worker thread)')
    p.add_argument('--n-naive', type=int, default=None, help='simulations timed with the naive loop (per system)')
    p.add_argument('--n-batched', type=int, default=None, help='simulations timed with the batched simulator (per system)')
    p.add_argument('--n-train', type=int, default=None); p.add_argument('--n-valid', type=int, default=None)
    p.add_argument('--n-test', type=int, default=None)
    p.add_argument('--chunk-size', type=int, default=10_000)
    p.add_argument('--skip-dataset', action='store_true')
    p.add_argument('--out', default=str(ROOT / 'bench' / 'results' / 'sims.json'))
    p.add_argument('--tmp', default=None, help='where the data set is written (then deleted)')
    p.add_argument('--child', action='store_true', help=argparse.SUPPRESS)
    args = p.parse_args()
    q = args.quick
    args.n_train = args.n_train if args.n_train is not None else (2000 if q else 50_000)
    args.n_valid = args.n_valid if args.n_valid is not None else (400 if q else 10_000)
    args.n_test = args.n_test if args.n_test is not None else (400 if q else 10_000)
    if args.child: return dataset_child(args)

    torch.set_num_threads(args.threads)
    n_naive = args.n_naive or (1 if q else 3)
    n_batched = args.n_batched or (1000 if q else 10_000)
    res = dict(issue=3, command=' '.join([Path(sys.executable).name] + sys.argv), quick=q, machine=machine(args.threads))
    ns = naive_functions()
    res['throughput'] = {}
    for sim in ('springs', 'charged', 'kuramoto'):
        nb = n_batched if sim != 'charged' else max(1, n_batched // 2)
        t_naive = time_naive(ns, sim, n_naive, 49)
        t_fast = time_batched(sim, nb, 49, args.device)
        res['throughput'][sim] = dict(frames=49, naive_s_per_sim=round(t_naive, 5), naive_sims=n_naive,
                                      batched_s_per_sim=t_fast, batched_sims=nb, device=args.device,
                                      speedup=round(t_naive / t_fast, 1))
        print(sim, res['throughput'][sim], flush=True)
    if not args.skip_dataset:
        cmd = [sys.executable, __file__, '--child', '--device', args.device, '--threads', str(args.threads),
               '--n-train', str(args.n_train), '--n-valid', str(args.n_valid), '--n-test', str(args.n_test),
               '--chunk-size', str(args.chunk_size)] + (['--tmp', args.tmp] if args.tmp else [])
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode: raise SystemExit(r.stderr)
        res['dataset'] = json.loads(r.stdout.strip().splitlines()[-1])
        print('dataset', res['dataset'], flush=True)
    res['machine']['loadavg_end'] = list(os.getloadavg())
    out = Path(args.out); out.parent.mkdir(parents=True, exist_ok=True)
    from nri_nb.core import atomic_write
    with atomic_write(out) as tmp: tmp.write_text(json.dumps(res, indent=1))
    print('wrote', out)


if __name__ == '__main__':
    main()
