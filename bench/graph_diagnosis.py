"""Where a trained run's missing edge accuracy sits: the encoder's graph or the decoder. For each finished run given, on the
first 1,000 test simulations of its data set:

- the edges it gets wrong, as springs missed (true edge labelled "no edge") and phantom edges (the reverse), and the mean
  distance between the two objects of those pairs over the encoded steps, beside the quartiles over all pairs (none for
  Kuramoto, whose features are no positions);
- the encoder's confidence (largest edge-type probability) on its wrong and its right edges;
- how often the encoder's two directions of a pair disagree (springs are undirected: both are the same edge), and the edge
  accuracy when each pair's two distributions are averaged before the argmax (a symmetrised graph, no training);
- charged particles only: the edge accuracy of the most probable graph that some assignment of charges explains (each
  pair's type is whether its two charges are alike), and the share of systems whose argmax graph already is one;
- the trained decoder's one-step-to-ten-step error (the training setting: 10-step windows over the encoded steps) given the
  encoder's graph (argmax), the true graph (in the model's labels), and no edges at all.

If the decoder reconstructs far better with the true graph, the likelihood has a strong gradient towards the missing edges
and the encoder is what does not follow it; if not, the decoder cannot use them.

    cd nbs && python ../bench/graph_diagnosis.py runs/table1-quick/springs10/seed108493782 [more run folders]

adds one entry per run to bench/results/graph_diagnosis.json (keyed by the run folder's path) and prints it."""
import json, sys
from pathlib import Path
import numpy as np, torch
import torch.nn.functional as F
from nri_nb.core import atomic_write
from nri_nb.gnn import fully_connected_graph
from nri_nb.train import model_from_checkpoint, prepare_data

torch.set_num_threads(int(__import__('os').environ.get('NRI_THREADS', 2)))
res_path = Path(__file__).resolve().parent/'results'/'graph_diagnosis.json'
results = json.loads(res_path.read_text()) if res_path.exists() else {}
if len(sys.argv) < 2: sys.exit(__doc__)
for run in map(Path, sys.argv[1:]):
    if not (run/'best.pt').exists(): sys.exit(f"{run} holds no best.pt: give the folder of a finished run")
    model, cfg = model_from_checkpoint(run/'best.pt')
    if cfg.n_edge_types != 2: sys.exit(f"{run}: this diagnosis reads two edge types, the run has {cfg.n_edge_types}")
    t = prepare_data(cfg, progress=False, verbose=False, splits=('train', 'test'))['test']
    n = min(1000, len(t.x))
    x, edges = t.x[:n, :, :cfg.n_timesteps], t.edges[:n].long()
    with torch.no_grad():
        probs = torch.cat([torch.softmax(model.encoder(x[i:i + 250]), -1) for i in range(0, n, 250)])
    pred = probs.argmax(-1)
    swapped = (pred == 1 - edges).float().mean() > (pred == edges).float().mean()   # the best relabelling of two types
    truth = 1 - edges if swapped else edges                                          # the true graph in the model's labels
    wrong, has_edge = pred != truth, edges != 0
    senders, receivers = fully_connected_graph(x.shape[1])
    pos = x[..., :2]                                                                 # positions (normalised), [S, N, T, 2]
    dist = (pos[:, senders] - pos[:, receivers]).norm(dim=-1).mean(-1)               # [S, E], mean over the encoded steps

    def decoder_mse(z):
        with torch.no_grad():
            return float(np.mean([(model.decoder(x[i:i + 250], z[i:i + 250], cfg.prediction_steps) - x[i:i + 250, :, 1:]).square().mean().item()
                                  for i in range(0, n, 250)]))
    one_hot = lambda e: F.one_hot(e, 2).float()
    top = probs.max(-1).values
    index = {(int(a), int(b)): k for k, (a, b) in enumerate(zip(senders, receivers))}
    reverse = torch.tensor([index[(int(b), int(a))] for a, b in zip(senders, receivers)])   # the edge j->i of each i->j
    sym_pred = ((probs + probs[:, reverse]) / 2).argmax(-1)
    r = dict(column=f"{cfg.sim}{cfg.n_objects}", seed=cfg.seed, n_sims=n, edge_accuracy=float((~wrong).float().mean()),
             share_missed=float((wrong & has_edge).float().mean()), share_phantom=float((wrong & ~has_edge).float().mean()),
             distance_missed=float(dist[wrong & has_edge].mean()), distance_found=float(dist[~wrong & has_edge].mean()),
             distance_phantom=float(dist[wrong & ~has_edge].mean()), distance_quartiles=torch.quantile(dist.flatten(), torch.tensor([.25, .5, .75])).tolist(),
             confidence_wrong=float(top[wrong].mean()), confidence_right=float(top[~wrong].mean()),
             asymmetric_pairs=float((pred != pred[:, reverse]).float().mean()),
             wrong_with_reverse_right=float((wrong & ~wrong[:, reverse]).float().sum() / wrong.float().sum()),
             edge_accuracy_symmetrised=float((sym_pred == truth).float().mean()),
             decoder_mse_inferred=decoder_mse(one_hot(pred)), decoder_mse_true=decoder_mse(one_hot(truth)),
             decoder_mse_no_edges=decoder_mse(one_hot(torch.zeros_like(pred))))
    if cfg.sim == 'kuramoto': r.update({k: None for k in r if k.startswith('distance')})   # phases and frequencies: no positions
    if cfg.sim == 'charged':
        # every pair interacts: the type is like charges (repel) or unlike (attract), so a graph is a charge per object,
        # up to flipping all. The most probable consistent graph under the encoder's edge distributions, by enumeration
        # (2^(N-1) assignments), each way round of the two types, the way kept that the encoder finds more probable overall
        N = x.shape[1]
        q = torch.tensor([[1] + [1 - 2 * ((a >> k) & 1) for k in range(N - 1)] for a in range(2 ** (N - 1))])  # [A, N], first charge +1
        like = (q[:, senders] == q[:, receivers]).float()                                                      # [A, E]
        logp = probs.clamp_min(1e-12).log()
        best = []
        for t in (0, 1):                                       # the model's type t stands for like charges
            score = logp[..., t] @ like.T + logp[..., 1 - t] @ (1 - like).T                                   # [S, A]
            s, a = score.max(-1)
            best.append((float(s.sum()), torch.where(like[a].bool(), t, 1 - t)))
        consistent = max(best, key=lambda b: b[0])[1]
        r.update(edge_accuracy_charge_consistent=float((consistent == truth).float().mean()),
                 charge_consistent_share=float((pred == consistent).all(-1).float().mean()))   # systems whose argmax graph is already consistent
    results[str(run)] = r
    print(json.dumps({str(run): r}, indent=1))
with atomic_write(res_path) as tmp: Path(tmp).write_text(json.dumps(results, indent=1))
