"""Trained 5-object models on 10-object systems with no training on them: the edge accuracy of each model's best
checkpoint on 1,000 test simulations of its simulator with 5 and with 10 objects (data seed 1; each data set
normalised by its own training split of 5,000, as a run on it would be), as notebook 10 does for the shipped models.

    python bench/zero_shot_10.py runs/table1-quick/charged5/seed292696469 runs/probes/charged5-continue-lr5e-4-seed292696469 [--shipped charged5]

From `nbs/`, one process, the machine otherwise idle; keeps one entry per model in `results/zero_shot_10.json`."""
import argparse, json, platform, tempfile, time
from pathlib import Path
import torch
from nri_nb.core import atomic_write
from nri_nb.data import generate_dataset, load_split
from nri_nb.pretrained import load
from nri_nb.train import evaluate, model_from_checkpoint

OUT = Path(__file__).resolve().parent/'results'/'zero_shot_10.json'

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('runs', nargs='*', help='finished 5-object run folders (their best.pt)')
    p.add_argument('--shipped', nargs='*', default=[], help='shipped models (notebook 10a), e.g. charged5')
    p.add_argument('--n-test', type=int, default=1000)
    p.add_argument('--threads', type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    models = {f'shipped {n}': (lambda n=n: (lambda q: (q.model, q.config))(load(n))) for n in a.shipped}
    for r in a.runs:
        if not (Path(r)/'best.pt').exists(): raise SystemExit(f"{r} holds no best.pt: give the folder of a finished run")
        models[str(r)] = lambda r=r: model_from_checkpoint(Path(r)/'best.pt')
    if not models: raise SystemExit('give run folders or --shipped names')
    res = json.loads(OUT.read_text()) if OUT.exists() else dict(machine=dict(platform=platform.platform()), models={})
    data, work = {}, Path(tempfile.mkdtemp())
    for key, get in models.items():
        t0 = time.time()
        model, cfg = get()
        if cfg.n_objects != 5: raise SystemExit(f'{key} was trained on {cfg.n_objects} objects, not 5')
        row = dict(sim=cfg.sim, n_test=a.n_test, data_seed=1)
        for n in (5, 10):
            if (cfg.sim, n) not in data:
                d = generate_dataset(work/f'{cfg.sim}{n}', cfg.sim, n, n_train=5000, n_valid=200, n_test=a.n_test, seed=1, progress=False)
                data[cfg.sim, n] = load_split(d, 'test')
            t = data[cfg.sim, n]
            row[f'edge_accuracy_{n}'] = evaluate(model, t.x, t.edges, cfg.n_timesteps, 20)['edge_accuracy']
        row['seconds'] = round(time.time() - t0, 1)
        res['models'][key] = row
        print(key, json.dumps(row), flush=True)
    with atomic_write(OUT) as tmp: Path(tmp).write_text(json.dumps(res, indent=1))

if __name__ == '__main__': main()
