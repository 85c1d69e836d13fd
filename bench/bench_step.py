"""One training step of the laptop preset (springs-5 by default): the encoder's first edge layers per edge (the
plain concatenation) or per node (`MLPEncoder.edge_mlp`), and Adam's for-loop or `foreach` update.

    python bench/bench_step.py [--sim springs --n-objects 5 --reps 15]   # writes bench/results/step_{sim}{N}.json

One process; the variants alternate within each repetition of 20 steps, and each figure is a median."""
import argparse, json, platform, statistics, time
from pathlib import Path
import torch
from nri_nb.encoders import MLPEncoder
from nri_nb.model import build_nri
from nri_nb.sampling import sample_gumbel
from nri_nb.train import make_config, train_step

HERE = Path(__file__).resolve().parent
FAST_EDGE = MLPEncoder.edge_mlp

def plain_edge_mlp(self, mlp, h, n, skip=None):
    "The first edge layers as written: the MLP on each edge's concatenated inputs."
    e = self.node2edge(h, n)
    return mlp(e if skip is None else torch.cat([e, skip], dim=-1))

VARIANTS = {'edges per edge, Adam for-loop': (plain_edge_mlp, False),
            'edges per node, Adam for-loop': (FAST_EDGE, False),
            'edges per node, Adam foreach': (FAST_EDGE, True)}

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--sim', default='springs'); ap.add_argument('--n-objects', type=int, default=5)
    ap.add_argument('--reps', type=int, default=15); ap.add_argument('--steps', type=int, default=20)
    a = ap.parse_args()
    cfg = make_config('quick', sim=a.sim, n_objects=a.n_objects)
    torch.manual_seed(0)
    B, N, E = cfg.batch_size, cfg.n_objects, cfg.n_objects * (cfg.n_objects - 1)
    x = torch.rand(B, N, cfg.n_timesteps, cfg.n_features) * 2 - 1
    runs = {}
    for name, (edge, foreach) in VARIANTS.items():
        m = build_nri(**cfg.model_kwargs(None))
        runs[name] = (m, torch.optim.Adam(m.parameters(), lr=cfg.lr, foreach=foreach), edge)
    g = torch.Generator().manual_seed(1)
    times = {k: [] for k in VARIANTS}
    for r in range(a.reps + 1):
        for name, (m, opt, edge) in runs.items():
            MLPEncoder.edge_mlp = edge
            t0 = time.perf_counter()
            for _ in range(a.steps):
                s = int(torch.randint(cfg.n_timesteps - cfg.decode_steps + 1, (1,), generator=g)) if cfg.decode_steps else 0
                window = slice(s, s + cfg.decode_steps) if cfg.decode_steps else None
                train_step(m, x, sample_gumbel((B, E, cfg.n_edge_types), generator=g), opt, False, window)
            if r: times[name].append((time.perf_counter() - t0) / a.steps)
    MLPEncoder.edge_mlp = FAST_EDGE
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med['edges per edge, Adam for-loop']
    res = dict(column=f'{a.sim}{a.n_objects}', preset='quick', batch=B, steps_per_rep=a.steps, reps=a.reps,
               ms_per_step={k: round(v * 1e3, 2) for k, v in med.items()}, speedup_vs_first={k: round(base / v, 3) for k, v in med.items()},
               steps_per_epoch=-(-cfg.n_train // B), machine=dict(processor=platform.processor() or platform.platform(),
                                                                 threads=torch.get_num_threads(), torch=torch.__version__))
    print(json.dumps(res, indent=1))
    from nri_nb.core import atomic_write
    with atomic_write(HERE/'results'/f'step_{a.sim}{a.n_objects}.json') as tmp: Path(tmp).write_text(json.dumps(res, indent=1))
