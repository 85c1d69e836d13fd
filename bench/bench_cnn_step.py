"""One training step of a quick preset with the CNN encoder (charged-5 by default), three forms of fig. 13's block:
its attentive pooling as drawn (`CNNBlock.as_drawn`: the 1x1 output convolution at every time step, then the
weighted mean) or pooled first (`CNNBlock.forward`: the weighted mean, then the output layer once), each with the
first stage (convolution, ReLU, batch norm, max-pooling) as drawn; and the package's form, pooled first with the
first stage's batch norm after the pooling in one autograd function (`relu_bn_pool`, appendix 04a).

    python bench/bench_cnn_step.py [--sim charged --n-objects 5 --reps 10]   # writes bench/results/cnn_step_{sim}{N}.json

One process; the two variants alternate within each repetition of `--steps` steps, each figure is a median.
Both models start from the same weights and see the same batches and Gumbel noise."""
import torch
import torch.nn.functional as F
from nri_nb.encoders import CNNBlock
from nri_nb.model import build_nri
from _step_common import setup, timed_steps, write_result

def features_as_drawn(self, x):
    "Fig. 13's two convolutions with the first stage as drawn: relu, batch norm, then max-pooling."
    x = self.pool(self.bn1(F.relu(self.conv1(x))))
    return self.bn2(F.relu(self.conv2(x)))

VARIANTS = {'pooling as drawn (fig. 13)': (CNNBlock.as_drawn, features_as_drawn),     # name -> (forward, features)
            'output layer after pooling': (CNNBlock.forward, features_as_drawn),
            'and batch norm after max-pooling': (CNNBlock.forward, CNNBlock.features)}

if __name__ == '__main__':
    a, cfg, x = setup(__doc__, 'charged', reps=10, steps=10)
    if cfg.encoder != 'cnn': raise SystemExit(f"the quick preset for {a.sim}-{a.n_objects} uses the {cfg.encoder} encoder, not the CNN one")
    torch.manual_seed(1); state = build_nri(**cfg.model_kwargs(None)).state_dict()
    runs = {}
    for name in VARIANTS:
        m = build_nri(**cfg.model_kwargs(None)); m.load_state_dict(state)
        runs[name] = (m, torch.optim.Adam(m.parameters(), lr=cfg.lr, foreach=True))
    times, losses = {k: [] for k in VARIANTS}, {k: [] for k in VARIANTS}
    fast = CNNBlock.forward, CNNBlock.features
    for r in range(a.reps + 1):
        for name, (m, opt) in runs.items():
            CNNBlock.forward, CNNBlock.features = VARIANTS[name]
            sec, out = timed_steps(m, opt, x, cfg, torch.Generator().manual_seed(100 + r), a.steps)   # the same windows and noise for both
            if r: times[name].append(sec)
            losses[name].append(round(float(out['loss']), 6))
    CNNBlock.forward, CNNBlock.features = fast
    write_result(a, cfg, times, f'cnn_step_{a.sim}{a.n_objects}', digits=1, encoder_hidden=cfg.encoder_hidden, loss_after_each_rep=losses)
