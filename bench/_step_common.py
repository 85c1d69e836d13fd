"""What `bench_step.py` and `bench_cnn_step.py` share: the command line, a random batch of a quick preset, timed
training steps with a moving decoded window, and the results file."""
import argparse, json, platform, statistics, time
from pathlib import Path
import torch
from nri_nb.core import atomic_write
from nri_nb.sampling import sample_gumbel
from nri_nb.train import make_config, train_step

RESULTS = Path(__file__).resolve().parent/'results'

def setup(doc:str, sim:str, reps:int, steps:int):
    "Parse `--sim --n-objects --reps --steps`; returns the arguments, the quick preset's config and a random batch `x`."
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--sim', default=sim); ap.add_argument('--n-objects', type=int, default=5)
    ap.add_argument('--reps', type=int, default=reps); ap.add_argument('--steps', type=int, default=steps)
    a = ap.parse_args()
    cfg = make_config('quick', sim=a.sim, n_objects=a.n_objects)
    torch.manual_seed(0)
    x = torch.rand(cfg.batch_size, cfg.n_objects, cfg.n_timesteps, cfg.n_features) * 2 - 1
    return a, cfg, x

def timed_steps(m, opt, x, cfg, g:torch.Generator, steps:int):
    "`steps` training steps of `m` on `x` (windows and Gumbel noise drawn from `g`): (seconds per step, the last step's output)."
    B, N = x.shape[:2]
    t0 = time.perf_counter()
    for _ in range(steps):
        s = int(torch.randint(cfg.n_timesteps - cfg.decode_steps + 1, (1,), generator=g)) if cfg.decode_steps else 0
        window = slice(s, s + cfg.decode_steps) if cfg.decode_steps else None
        out = train_step(m, x, sample_gumbel((B, N * (N - 1), cfg.n_edge_types), generator=g), opt, False, window)
    return (time.perf_counter() - t0) / steps, out

def write_result(a, cfg, times:dict, name:str, digits:int=2, **extra):
    "Medians of `times` (seconds per step, per variant; the first is the baseline), printed and written to `results/{name}.json`."
    med = {k: statistics.median(v) for k, v in times.items()}
    base = next(iter(med.values()))
    res = dict(column=f'{a.sim}{a.n_objects}', preset='quick', batch=cfg.batch_size, **extra, steps_per_rep=a.steps, reps=a.reps,
               ms_per_step={k: round(v * 1e3, digits) for k, v in med.items()}, speedup_vs_first={k: round(base / v, 3) for k, v in med.items()},
               steps_per_epoch=-(-cfg.n_train // cfg.batch_size), machine=dict(processor=platform.processor() or platform.platform(),
                                                                             threads=torch.get_num_threads(), torch=torch.__version__))
    print(json.dumps(res, indent=1))
    with atomic_write(RESULTS/f'{name}.json') as tmp: Path(tmp).write_text(json.dumps(res, indent=1))
    return res
