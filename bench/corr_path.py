"""Corr. (path) of Table 1 (appendix D.1.1) on finished data folders: correlations of the objects' trajectories,
a threshold for R and one for |R| fitted on the training and validation sets together, the better rule's test
edge accuracy. Trains nothing.

    python bench/corr_path.py [DATA_FOLDER ...]   # default: nbs/runs/table1-quick/data/*; writes bench/results/corr_path.json"""
import json, sys, time
from pathlib import Path
import torch
from nri_nb.baselines import CorrelationThreshold, correlation_scores
from nri_nb.core import atomic_write
from nri_nb.data import load_split, read_manifest

HERE = Path(__file__).resolve().parent
folders = [Path(a) for a in sys.argv[1:]] or sorted((HERE.parent/'nbs'/'runs'/'table1-quick'/'data').glob('*'))
out = {}
for d in folders:
    t0 = time.perf_counter()
    m = read_manifest(d, verify=False)
    tr = load_split(d, 'train', verify=False)
    split = {s: (tr if s == 'train' else load_split(d, s, normaliser=tr.normaliser, verify=False)) for s in ('train', 'valid', 'test')}
    def scores(s, n_steps):
        sc, ed = [], []
        for a in range(0, len(split[s]), 5000):
            x, e = split[s].batch(slice(a, a + 5000))
            sc.append(correlation_scores(x[:, :, :n_steps])); ed.append(e)
        return torch.cat(sc), torch.cat(ed)
    T = m['params']['n_frames_train']
    (s_tr, e_tr), (s_va, e_va), (s_te, e_te) = scores('train', T), scores('valid', T), scores('test', T)   # test: the encoded steps
    fit = CorrelationThreshold().fit(torch.cat([s_tr, s_va]), torch.cat([e_tr, e_va]))
    out[d.name] = dict(sim=m['sim'], n_objects=m['n_objects'], rule=fit.rule, theta=fit.theta, fit_accuracy=fit.fit_accuracy,
                       test_edge_accuracy=100 * fit.accuracy(s_te, e_te), n_fit=len(s_tr) + len(s_va), n_test=len(s_te),
                       fits={k: list(v) for k, v in fit.fits.items()}, seconds=time.perf_counter() - t0)
    print(d.name, {k: out[d.name][k] for k in ('rule', 'theta', 'test_edge_accuracy', 'n_fit', 'n_test', 'seconds')}, flush=True)
with atomic_write(HERE/'results'/'corr_path.json') as tmp: Path(tmp).write_text(json.dumps(out, indent=1))
