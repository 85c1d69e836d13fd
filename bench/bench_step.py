"""One training step of the laptop preset (springs-5 by default): the encoder's first edge layers per edge (the
plain concatenation) or per node (`MLPEncoder.edge_mlp`), and Adam's for-loop or `foreach` update.

    python bench/bench_step.py [--sim springs --n-objects 5 --reps 15]   # writes bench/results/step_{sim}{N}.json

One process; the variants alternate within each repetition of 20 steps, and each figure is a median."""
import torch
from nri_nb.encoders import MLPEncoder
from nri_nb.model import build_nri
from _step_common import setup, timed_steps, write_result

FAST_EDGE = MLPEncoder.edge_mlp

def plain_edge_mlp(self, mlp, h, n, skip=None):
    "The first edge layers as written: the MLP on each edge's concatenated inputs."
    e = self.node2edge(h, n)
    return mlp(e if skip is None else torch.cat([e, skip], dim=-1))

VARIANTS = {'edges per edge, Adam for-loop': (plain_edge_mlp, False),
            'edges per node, Adam for-loop': (FAST_EDGE, False),
            'edges per node, Adam foreach': (FAST_EDGE, True)}

if __name__ == '__main__':
    a, cfg, x = setup(__doc__, 'springs', reps=15, steps=20)
    runs = {}
    for name, (edge, foreach) in VARIANTS.items():
        m = build_nri(**cfg.model_kwargs(None))
        runs[name] = (m, torch.optim.Adam(m.parameters(), lr=cfg.lr, foreach=foreach), edge)
    g = torch.Generator().manual_seed(1)
    times = {k: [] for k in VARIANTS}
    for r in range(a.reps + 1):
        for name, (m, opt, edge) in runs.items():
            MLPEncoder.edge_mlp = edge
            sec, _ = timed_steps(m, opt, x, cfg, g, a.steps)
            if r: times[name].append(sec)
    MLPEncoder.edge_mlp = FAST_EDGE
    write_result(a, cfg, times, f'step_{a.sim}{a.n_objects}')
