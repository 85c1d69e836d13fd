"""Where does a Kuramoto encoder go wrong? For each run folder (or checkpoint) given, on the first `--n` validation
simulations of its data set: the edge accuracy, the share of all edges that are couplings missed (true coupling,
"no edge" inferred) and phantom couplings (the reverse), and the accuracy, missed and phantom shares and mean
confidence by quintile of the pair's difference of intrinsic frequencies |omega_i - omega_j| (the data's third
feature, constant along a trajectory; quintiles of the normalised difference, which is proportional to the raw one)
and by the receiver's number of couplings. Kuramoto's edge type 0 is "no edge" (hard-coded), so no relabelling.
Writes `results/kuramoto_errors.json`.

    cd nbs && python ../bench/kuramoto_errors.py runs/probes/kuramoto10-bf16-budget-seed1596664900 runs/table1-quick/kuramoto5/seed1297004721
"""
from pathlib import Path
import torch
from nri_nb.gnn import fully_connected_graph
from nri_nb.train import load_checkpoint, model_from_checkpoint, prepare_data


def shares(correct, pred, e, conf, m) -> dict:
    "Accuracy, missed and phantom couplings (as shares of the edges in mask `m`), mean confidence, count."
    return dict(accuracy=round(correct[m].float().mean().item(), 4), missed=round(((e == 1) & (pred == 0))[m].float().mean().item(), 4),
                phantom=round(((e == 0) & (pred == 1))[m].float().mean().item(), 4), coupled=round((e[m] == 1).float().mean().item(), 4),
                mean_confidence=round(conf[m].mean().item(), 4), n_edges=int(m.sum()))

def diagnose(path:Path, n:int) -> dict:
    ckpt = load_checkpoint(path if path.is_file() else path/'best.pt')
    model, cfg = model_from_checkpoint(ckpt)
    if cfg.sim != 'kuramoto' or not cfg.skip_first: raise SystemExit(f"{path}: a Kuramoto run with edge type 0 as 'no edge' expected; got {cfg.sim}, skip_first={cfg.skip_first}")
    d = prepare_data(cfg, verbose=False, generate=False, splits=('valid',))['valid']
    x, e = d.x[:n], d.edges[:n]
    model.eval()
    with torch.no_grad(): logits = model.encoder(x[:, :, :cfg.n_timesteps])        # [S, E, 2]
    p = logits.float().softmax(-1)
    pred, conf = p.argmax(-1), p.max(-1).values
    correct = pred == e
    send, recv = fully_connected_graph(cfg.n_objects)
    omega = x[:, :, :cfg.n_timesteps, 2].mean(-1)                                    # [S, N] (normalised)
    dw = (omega[:, send] - omega[:, recv]).abs()                                      # [S, E]
    bounds = torch.quantile(dw.flatten().double(), torch.linspace(0, 1, 6, dtype=torch.float64)).float()
    by_dw = [dict(dw_normalised=[round(float(lo), 3), round(float(hi), 3)], **shares(correct, pred, e, conf, (dw >= lo) & (dw <= hi)))
             for lo, hi in zip(bounds[:-1], bounds[1:])]
    adj = torch.zeros(len(x), cfg.n_objects, cfg.n_objects, dtype=torch.long)
    adj[:, send, recv] = e
    degree = adj.sum(1)[:, recv]                                                      # [S, E] the receiver's couplings
    by_deg = {int(k): shares(correct, pred, e, conf, degree == k) for k in degree.unique()}
    edges = [(int(s), int(r)) for s, r in zip(send, recv)]
    rev = torch.tensor([edges.index((r, s)) for s, r in edges])
    return dict(n_objects=cfg.n_objects, n_valid=len(x), decoder_hidden=cfg.decoder_hidden, **shares(correct, pred, e, conf, torch.ones_like(e, dtype=torch.bool)),
                both_directions_wrong=round((~correct & ~correct[:, rev]).float().sum().item() / max(1, (~correct).sum().item()), 4),
                by_omega_difference=by_dw, by_receiver_couplings=by_deg)

if __name__ == '__main__':
    from _diag_common import diagnose_runs
    diagnose_runs(__doc__, diagnose, 'kuramoto_errors')
