"""Training steps of each Table 1 column's `quick` preset with glibc's `malloc` as it comes, and with
`nri_nb.core.keep_freed_memory` (freed memory kept and reused instead of unmapped and faulted in again).

    python bench/bench_malloc.py [--columns springs5,charged10 --reps 3]   # writes bench/results/malloc.json

Every measurement is a fresh process (the setting is for the whole process), the two variants alternating within
each repetition; figures are medians over the repetitions. Each process builds the same model from the same seed
and takes the same steps on the same random batch, windows and Gumbel noise, so the losses must agree bit for bit."""
import argparse, json, os, platform, statistics, subprocess, sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent/'results'
COLUMNS = dict(springs5=('springs', 5, 40), charged5=('charged', 5, 20), kuramoto5=('kuramoto', 5, 20),
               springs10=('springs', 10, 20), charged10=('charged', 10, 6), kuramoto10=('kuramoto', 10, 6))

CHILD = r'''
import json, resource, sys, time, torch
from nri_nb.core import keep_freed_memory
mode, sim, n, steps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
kept = keep_freed_memory() if mode == 'kept' else False
from nri_nb.model import build_nri
from nri_nb.sampling import sample_gumbel
from nri_nb.train import make_config, train_step
cfg = make_config('quick', sim=sim, n_objects=n)
torch.manual_seed(0)
x = torch.rand(cfg.batch_size, n, cfg.n_timesteps, cfg.n_features) * 2 - 1
m = build_nri(**cfg.model_kwargs(None)); opt = torch.optim.Adam(m.parameters(), lr=cfg.lr, foreach=True)
g = torch.Generator().manual_seed(1)
def step():
    s = int(torch.randint(cfg.n_timesteps - cfg.decode_steps + 1, (1,), generator=g)) if cfg.decode_steps else 0
    w = slice(s, s + cfg.decode_steps) if cfg.decode_steps else None
    return float(train_step(m, x, sample_gumbel((cfg.batch_size, n * (n - 1), cfg.n_edge_types), generator=g), opt, False, w)['loss'])
losses = [step(), step()]                       # warm-up
r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
losses += [step() for _ in range(steps)]
t, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF)
user, sys_ = r1.ru_utime - r0.ru_utime, r1.ru_stime - r0.ru_stime
print(json.dumps(dict(kept=kept, ms_per_step=t / steps * 1e3, minflt_per_step=(r1.ru_minflt - r0.ru_minflt) / steps,
                      sys_share=sys_ / (user + sys_), peak_rss_mb=r1.ru_maxrss / 1024, losses=losses, threads=torch.get_num_threads())))
'''

def measure(mode, sim, n, steps):
    env = {**os.environ, 'NRI_NB_KEEP_FREED_MEMORY': '1' if mode == 'kept' else '0'}
    out = subprocess.run([sys.executable, '-c', CHILD, mode, sim, str(n), str(steps)], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--columns', default=','.join(COLUMNS)); ap.add_argument('--reps', type=int, default=3)
    a = ap.parse_args()
    cols = a.columns.split(',')
    if unknown := [c for c in cols if c not in COLUMNS]: raise SystemExit(f"unknown columns {unknown}; choose from {', '.join(COLUMNS)}")
    res = {}
    for c in cols:
        sim, n, steps = COLUMNS[c]
        runs = {'default': [], 'kept': []}
        for r in range(a.reps):
            for mode in (('default', 'kept') if r % 2 == 0 else ('kept', 'default')):
                runs[mode].append(measure(mode, sim, n, steps))
                print(c, mode, round(runs[mode][-1]['ms_per_step'], 1), 'ms/step', flush=True)
        res[c] = {mode: dict(ms_per_step=round(statistics.median(v['ms_per_step'] for v in rs), 1),
                             minflt_per_step=round(statistics.median(v['minflt_per_step'] for v in rs)),
                             sys_share=round(statistics.median(v['sys_share'] for v in rs), 3),
                             peak_rss_mb=round(max(v['peak_rss_mb'] for v in rs)),
                             ms_per_rep=[round(v['ms_per_step'], 1) for v in rs], losses=rs[0]['losses'],
                             losses_same_every_rep=all(v['losses'] == rs[0]['losses'] for v in rs), in_effect=rs[0]['kept'])
                  for mode, rs in runs.items()}
        res[c]['steps_per_process'] = steps
        assert res[c]['default']['losses'] == res[c]['kept']['losses'], f"{c}: the losses differ"
    out = dict(columns=res, reps=a.reps, machine=dict(platform=platform.platform(), cpus=os.cpu_count(), python=platform.python_version()))
    import torch; out['machine'].update(torch=torch.__version__, threads=torch.get_num_threads())
    prev = json.loads((RESULTS/'malloc.json').read_text()) if (RESULTS/'malloc.json').exists() else {}
    if set(cols) != set(COLUMNS) and prev: out['columns'] = {**prev.get('columns', {}), **res}
    from nri_nb.core import atomic_write
    with atomic_write(RESULTS/'malloc.json') as tmp: Path(tmp).write_text(json.dumps(out, indent=1))
    print(json.dumps({c: {m: r[m]['ms_per_step'] for m in ('default', 'kept')} for c, r in out['columns'].items()}, indent=1))
