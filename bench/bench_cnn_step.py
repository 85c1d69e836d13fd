"""One training step of a quick preset with the CNN encoder (charged-5 by default): the CNN block's attentive
pooling as fig. 13 draws it (`CNNBlock.as_drawn`: the 1x1 output convolution at every time step, then the
weighted mean) or pooled first (`CNNBlock.forward`: the weighted mean, then the output layer once).

    python bench/bench_cnn_step.py [--sim charged --n-objects 5 --reps 10]   # writes bench/results/cnn_step_{sim}{N}.json

One process; the two variants alternate within each repetition of `--steps` steps, each figure is a median.
Both models start from the same weights and see the same batches and Gumbel noise."""
import torch
from nri_nb.encoders import CNNBlock
from nri_nb.model import build_nri
from _step_common import setup, timed_steps, write_result

VARIANTS = {'pooling as drawn (fig. 13)': CNNBlock.as_drawn, 'output layer after pooling': CNNBlock.forward}

if __name__ == '__main__':
    a, cfg, x = setup(__doc__, 'charged', reps=10, steps=10)
    if cfg.encoder != 'cnn': raise SystemExit(f"the quick preset for {a.sim}-{a.n_objects} uses the {cfg.encoder} encoder, not the CNN one")
    torch.manual_seed(1); state = build_nri(**cfg.model_kwargs(None)).state_dict()
    runs = {}
    for name in VARIANTS:
        m = build_nri(**cfg.model_kwargs(None)); m.load_state_dict(state)
        runs[name] = (m, torch.optim.Adam(m.parameters(), lr=cfg.lr, foreach=True))
    times, losses = {k: [] for k in VARIANTS}, {k: [] for k in VARIANTS}
    fast = CNNBlock.forward
    for r in range(a.reps + 1):
        for name, (m, opt) in runs.items():
            CNNBlock.forward = VARIANTS[name]
            sec, out = timed_steps(m, opt, x, cfg, torch.Generator().manual_seed(100 + r), a.steps)   # the same windows and noise for both
            if r: times[name].append(sec)
            losses[name].append(round(float(out['loss']), 6))
    CNNBlock.forward = fast
    write_result(a, cfg, times, f'cnn_step_{a.sim}{a.n_objects}', digits=1, encoder_hidden=cfg.encoder_hidden, loss_after_each_rep=losses)
