"""How sure is a trained encoder, and where is it right? For each run folder (or checkpoint) given, on the first
`--n` validation simulations of its data set: the edge accuracy, quantiles of the largest edge-type probability and
of the gap between the two largest logits (edge types scored up to the best relabelling, as in training), the accuracy and mean confidence by quintile of each pair's smallest
distance over the encoded steps, how often the type of (i, j) equals that of (j, i), and the run's last training
KL (per object, as `nri-train` logs it) next to its ceiling (N-1) log K. Writes `results/posterior_saturation.json`.

    cd nbs && python ../bench/posterior_saturation.py runs/table1-quick/charged10/seed645022044/warmup runs/probes/charged5-var5e-3
"""
import itertools, json, math
from pathlib import Path
import torch
from nri_nb.gnn import fully_connected_graph
from nri_nb.train import load_checkpoint, model_from_checkpoint, prepare_data


def quantiles(v, qs): return [round(float(x), 4) for x in torch.quantile(v.flatten().double(), torch.tensor(qs, dtype=torch.float64))]

def last_metrics(run_dir:Path) -> dict:
    f = run_dir/'metrics.jsonl'
    if not f.exists(): return {}
    rows = [json.loads(l) for l in f.read_text().splitlines() if l.strip()]
    return rows[-1] if rows else {}

def diagnose(path:Path, n:int) -> dict:
    ckpt = load_checkpoint(path)
    model, cfg = model_from_checkpoint(ckpt)
    d = prepare_data(cfg, verbose=False, generate=False, splits=('valid',))['valid']
    x, e = d.x[:n], d.edges[:n]
    with torch.no_grad(): logits = model.encoder(x[:, :, :cfg.n_timesteps])        # [S, E, K]
    p = logits.softmax(-1)
    pred = p.argmax(-1)
    k = logits.shape[-1]
    # edge types are found up to a relabelling (as in training's accuracy): score the best permutation of them
    perms = [torch.tensor(q) for q in itertools.permutations(range(k))]
    perm = max(perms, key=lambda q: (q[pred] == e).float().mean().item())
    correct = perm[pred] == e
    conf = p.max(-1).values
    top2 = logits.topk(2, dim=-1).values
    gap = top2[..., 0] - top2[..., 1]
    send, recv = fully_connected_graph(cfg.n_objects)
    pos = x[:, :, :cfg.n_timesteps, :2]                     # positions (normalised), or phase features for Kuramoto
    dist = (pos[:, send] - pos[:, recv]).norm(dim=-1).min(-1).values      # [S, E] smallest distance over the steps
    edges = [(int(s), int(r)) for s, r in zip(send, recv)]
    rev = torch.tensor([edges.index((r, s)) for s, r in edges])
    bounds = torch.quantile(dist.flatten().double(), torch.linspace(0, 1, 6, dtype=torch.float64)).float()
    by_dist = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        m = (dist >= lo) & (dist <= hi)
        by_dist.append(dict(min_distance=[round(float(lo), 3), round(float(hi), 3)], accuracy=round(correct[m].float().mean().item(), 4),
                            mean_confidence=round(conf[m].mean().item(), 4)))
    last = last_metrics(path if path.is_dir() else path.parent)
    return dict(sim=cfg.sim, n_objects=cfg.n_objects, n_valid=len(x), variance=cfg.variance, edge_accuracy=round(correct.float().mean().item(), 4), type_permutation=perm.tolist(),
                confidence_quantiles={'q': [.1, .25, .5, .75, .9], 'value': quantiles(conf, [.1, .25, .5, .75, .9])},
                logit_gap_quantiles={'q': [.1, .5, .9], 'value': quantiles(gap, [.1, .5, .9])},
                by_min_distance=by_dist, symmetric_predictions=round((pred == pred[:, rev]).float().mean().item(), 4),
                last_epoch=last.get('epoch'), train_kl=last.get('train_kl'), train_nll=last.get('train_nll'),
                kl_ceiling=round((cfg.n_objects - 1) * math.log(k), 4))

if __name__ == '__main__':
    from _diag_common import diagnose_runs
    diagnose_runs(__doc__, diagnose, 'posterior_saturation')
