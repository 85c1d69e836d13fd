"""Weight averaging measured on one training run: train a Table 1 column with the `quick` preset exactly as `nri-train` does, and
alongside keep exponential moving averages (EMA) of the weights at several decays, validated every epoch and tested at the end.
Training is untouched (the averages only read the weights after each step), so raw and averaged models share one trajectory.

    cd nbs && python ../bench/probe_ema.py --sim springs --n-objects 5 --seed S --data-dir runs/table1-quick/data/springs5

writes runs/probes/ema-{sim}{N}-seed{S}/ (the run) and adds an entry to bench/results/ema_probes.json."""
import argparse, json, sys, time
from pathlib import Path
import torch
import nri_nb.train as T
from nri_nb.core import atomic_write
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

p = argparse.ArgumentParser()
p.add_argument('--sim', default='springs'); p.add_argument('--n-objects', type=int, default=5)
p.add_argument('--seed', type=int, required=True); p.add_argument('--data-dir', default=None)
p.add_argument('--decays', default='0.99,0.995,0.998,0.999'); p.add_argument('--note', default='')
a = p.parse_args()
decays = [float(d) for d in a.decays.split(',')]
out = Path(f'runs/probes/ema-{a.sim}{a.n_objects}-seed{a.seed}')
cfg = T.make_config('quick', sim=a.sim, n_objects=a.n_objects, seed=a.seed, data_dir=a.data_dir)
state, log = dict(emas=None), []
step0, eval0 = T.train_step, T.evaluate

def step(model, *args, **kw):
    r = step0(model, *args, **kw)
    core = model.module if hasattr(model, 'module') else model
    if state['emas'] is None:
        state['emas'] = {d: AveragedModel(core, multi_avg_fn=get_ema_multi_avg_fn(d), use_buffers=True) for d in decays}
    if not r['skipped']:
        for e in state['emas'].values(): e.update_parameters(core)
    return r

def evaluate(model, x, edges, *args, **kw):
    r = eval0(model, x, edges, *args, **kw)
    if state['emas'] is not None and len(x) == len(valid_x):          # the validation set, once per epoch
        row = dict(raw=r['edge_accuracy'], raw_mse=r['mse'])
        for d, e in state['emas'].items():
            v = eval0(e.module, x, edges, *args, **kw); row[str(d)], row[f'{d}_mse'] = v['edge_accuracy'], v['mse']
        log.append(row)
        print('averages:', ' '.join(f'{k} {v:.4f}' for k, v in row.items() if 'mse' not in k), flush=True)
    return r

valid_x = T.prepare_data(cfg, progress=False, verbose=False, splits=('valid',))['valid'].x
T.train_step, T.evaluate = step, evaluate
res = T.train(cfg, out, progress=False, overwrite=True)
T.train_step, T.evaluate = step0, eval0
test = T.prepare_data(cfg, progress=False, verbose=False, splits=('test',))['test']
final = {str(d): eval0(e.module, test.x, test.edges, cfg.n_timesteps, cfg.test_steps)['edge_accuracy'] for d, e in state['emas'].items()}
print('test edge accuracy: raw (best checkpoint)', res['edge_accuracy'], '| averages after the last epoch', final)
entry = dict(name=out.name, sim=a.sim, n_objects=a.n_objects, seed=a.seed, config=res['preset_config'], note=a.note,
             epochs_run=res['epochs_run'], best_epoch=res['best_epoch'], wall_minutes=res['wall_seconds'] / 60,
             test_raw_best=res['edge_accuracy'], test_ema_last=final, valid_per_epoch=log)
path = Path(__file__).parent/'results'/'ema_probes.json'
allp = json.loads(path.read_text()) if path.exists() else dict(probes={})
allp['probes'][out.name] = entry
with atomic_write(path) as tmp: Path(tmp).write_text(json.dumps(allp, indent=1))
