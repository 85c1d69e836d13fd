"""Does a finished run fit its training data better than data it never saw? Each run's best checkpoint scored the same
way (hard samples, the training setting: reconstructing the first n_timesteps frames) on the first `--n` simulations of
its training split and on its whole validation split: edge accuracy and MSE on both. A model that has learned its
training set by heart scores higher there; one that is short of fitting scores the same on both, and then dropout,
augmentation or more data cannot help it.

    python ../bench/fit_gap.py runs/table1-quick/charged5/seed292696469 runs/probes/charged5-continue-lr5e-4-seed292696469

From `nbs/`, one process, the machine otherwise idle; keeps one entry per run in `results/fit_gap.json`."""
import argparse, json, platform, time
from pathlib import Path
import torch
from nri_nb.core import atomic_write
from nri_nb.train import evaluate, model_from_checkpoint, prepare_data

OUT = Path(__file__).resolve().parent/'results'/'fit_gap.json'

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('runs', nargs='+', help='finished run folders (their best.pt)')
    p.add_argument('--n', type=int, default=2000, help='training simulations scored (the first n)')
    p.add_argument('--threads', type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    res = json.loads(OUT.read_text()) if OUT.exists() else dict(machine=dict(platform=platform.platform()), runs={})
    for r in a.runs:
        if not (Path(r)/'best.pt').exists(): raise SystemExit(f"{r} holds no best.pt: give the folder of a finished run")
    for r in a.runs:
        t0 = time.time()
        model, cfg = model_from_checkpoint(Path(r)/'best.pt')
        data = prepare_data(cfg, progress=False, verbose=False, generate=False, splits=('train', 'valid'))
        tr, va = data['train'], data['valid']
        if a.n > len(tr.x): raise SystemExit(f"--n {a.n} is more than the {len(tr.x)} training simulations of {r}")
        row = dict(sim=cfg.sim, n_objects=cfg.n_objects, seed=cfg.seed, n_train_scored=a.n, n_valid=len(va.x))
        for name, x, e in (('train', tr.x[:a.n], tr.edges[:a.n]), ('valid', va.x, va.edges)):
            m = evaluate(model, x, e, cfg.n_timesteps, None)
            row[f'{name}_edge_accuracy'], row[f'{name}_mse'] = m['edge_accuracy'], m['mse']
        row['gap_points'] = 100 * (row['train_edge_accuracy'] - row['valid_edge_accuracy'])
        row['seconds'] = round(time.time() - t0, 1)
        res['runs'][str(r).rstrip('/')] = row
        print(f"{r}: train {100 * row['train_edge_accuracy']:.2f}%  valid {100 * row['valid_edge_accuracy']:.2f}%  "
              f"gap {row['gap_points']:+.2f} points | mse train {row['train_mse']:.3e} valid {row['valid_mse']:.3e}", flush=True)
    with atomic_write(OUT) as tmp: Path(tmp).write_text(json.dumps(res, indent=1))

if __name__ == '__main__': main()
