"""The CNN encoder's first convolution per edge or per object: is the linear shortcut worth it?

Fig. 13's first layer is a convolution over an edge's two trajectories stacked as channels, `[x_i; x_j]`. It is
linear, so it splits: conv(W, [x_i; x_j]) = conv(W_s, x_i) + conv(W_r, x_j) + b. The two halves can be computed once
per object (N sequences of F channels instead of N(N-1) of 2F) and summed per edge, the trick the encoders already
use for their edge MLPs' first layer. This script times the convolution's forward and backward pass (the gradient of
the weights and bias; the input is data) at a quick preset's sizes in three forms, after checking that they agree:

- `per edge`: `CNNEncoder`'s form, the convolution over every edge's gathered pair of trajectories;
- `per object, gathered`: both halves per object, then `index_select` by sender and receiver and a sum;
- `per object, broadcast`: both halves per object, an `[N, N]` broadcast sum, then its off-diagonal part.

    python bench/bench_first_conv.py [--sim charged] [--reps 15]   # writes bench/results/first_conv_{sim}.json

One process; the forms alternate within each repetition, each figure is a median (ms per forward + backward)."""
import argparse, json, platform, statistics, time
from pathlib import Path
import torch
import torch.nn.functional as F
from nri_nb.core import atomic_write
from nri_nb.gnn import fully_connected_graph, node2edge
from nri_nb.train import make_config

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument('--sim', default='charged'); ap.add_argument('--reps', type=int, default=15)
a = ap.parse_args()

def offdiag(full):
    "`[B, N, N, ...]` -> `[B, N(N-1), ...]`: the off-diagonal entries in row-major order (the edges' order)."
    B, N, rest = full.shape[0], full.shape[1], full.shape[3:]
    return full.reshape(B, N * N, *rest)[:, 1:].reshape(B, N - 1, N + 1, *rest)[:, :, :N].reshape(B, N * (N - 1), *rest)

res = {}
for n in (5, 10):
    cfg = make_config('quick', sim=a.sim, n_objects=n)
    B, T, Fe, H = cfg.batch_size, cfg.n_timesteps, cfg.n_features, cfg.encoder_hidden
    E, T1 = n * (n - 1), cfg.n_timesteps - 4
    torch.manual_seed(0)
    x = torch.randn(B, n, T, Fe); g = torch.randn(B * E, H, T1)
    conv = torch.nn.Conv1d(2 * Fe, H, 5)
    send, recv = fully_connected_graph(n)
    def per_edge():
        e = node2edge(x.reshape(B, n, T * Fe), send, recv).reshape(B * E, 2, T, Fe).permute(0, 1, 3, 2).reshape(B * E, 2 * Fe, T)
        return conv(e)
    def halves():
        W = conv.weight
        return F.conv1d(x.permute(0, 1, 3, 2).reshape(B * n, Fe, T), torch.cat([W[:, :Fe], W[:, Fe:]])).view(B, n, 2, H, T1)
    def gathered():
        h = halves()
        return (h[:, :, 0].index_select(1, send) + h[:, :, 1].index_select(1, recv) + conv.bias[:, None]).view(B * E, H, T1)
    def broadcast():
        h = halves()
        return offdiag(h[:, :, None, 0] + h[:, None, :, 1]).reshape(B * E, H, T1) + conv.bias[:, None]
    forms = {'per edge': per_edge, 'per object, gathered': gathered, 'per object, broadcast': broadcast}
    with torch.no_grad():
        ref = per_edge()
        for k, f in forms.items():
            err = (f() - ref).abs().max().item()
            if err > 1e-4: raise SystemExit(f"{k} differs from the per-edge convolution by {err}")
    times = {k: [] for k in forms}
    for r in range(a.reps + 2):
        for k, f in forms.items():
            t0 = time.perf_counter(); f().backward(g); dt = time.perf_counter() - t0
            conv.zero_grad(set_to_none=True)
            if r >= 2: times[k].append(dt)
    med = {k: statistics.median(v) * 1e3 for k, v in times.items()}
    res[f'{a.sim}{n}'] = dict(batch=B, channels=H, steps=T, features=Fe, edges=E,
                              ms_fwd_bwd={k: round(v, 1) for k, v in med.items()},
                              speedup_vs_per_edge={k: round(med['per edge'] / v, 2) for k, v in med.items()})
res['reps'] = a.reps
res['machine'] = dict(processor=platform.processor() or platform.platform(), threads=torch.get_num_threads(), torch=torch.__version__)
print(json.dumps(res, indent=1))
with atomic_write(Path(__file__).resolve().parent/'results'/f'first_conv_{a.sim}.json') as tmp: Path(tmp).write_text(json.dumps(res, indent=1))
