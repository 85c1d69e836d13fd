"""One training step of a quick preset with the CNN encoder (charged-5 by default): the CNN block's attentive
pooling as fig. 13 draws it (`CNNBlock.as_drawn`: the 1x1 output convolution at every time step, then the
weighted mean) or pooled first (`CNNBlock.forward`: the weighted mean, then the output layer once).

    python bench/bench_cnn_step.py [--sim charged --n-objects 5 --reps 10]   # writes bench/results/cnn_step_{sim}{N}.json

One process; the two variants alternate within each repetition of `--steps` steps, each figure is a median.
Both models start from the same weights and see the same batches and Gumbel noise."""
import argparse, json, platform, statistics, time
from pathlib import Path
import torch
from nri_nb.encoders import CNNBlock
from nri_nb.model import build_nri
from nri_nb.sampling import sample_gumbel
from nri_nb.train import make_config, train_step

HERE = Path(__file__).resolve().parent
VARIANTS = {'pooling as drawn (fig. 13)': CNNBlock.as_drawn, 'output layer after pooling': CNNBlock.forward}

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--sim', default='charged'); ap.add_argument('--n-objects', type=int, default=5)
    ap.add_argument('--reps', type=int, default=10); ap.add_argument('--steps', type=int, default=10)
    a = ap.parse_args()
    cfg = make_config('quick', sim=a.sim, n_objects=a.n_objects)
    if cfg.encoder != 'cnn': raise SystemExit(f"the quick preset for {a.sim}-{a.n_objects} uses the {cfg.encoder} encoder, not the CNN one")
    torch.manual_seed(0)
    B, N, E = cfg.batch_size, cfg.n_objects, cfg.n_objects * (cfg.n_objects - 1)
    x = torch.rand(B, N, cfg.n_timesteps, cfg.n_features) * 2 - 1
    torch.manual_seed(1); m0 = build_nri(**cfg.model_kwargs(None)); state = m0.state_dict()
    runs = {}
    for name in VARIANTS:
        m = build_nri(**cfg.model_kwargs(None)); m.load_state_dict(state)
        runs[name] = (m, torch.optim.Adam(m.parameters(), lr=cfg.lr, foreach=True))
    times, losses = {k: [] for k in VARIANTS}, {k: [] for k in VARIANTS}
    fast = CNNBlock.forward
    for r in range(a.reps + 1):
        for name, (m, opt) in runs.items():
            CNNBlock.forward = VARIANTS[name]
            g = torch.Generator().manual_seed(100 + r)           # the same windows and noise for both
            t0 = time.perf_counter()
            for _ in range(a.steps):
                s = int(torch.randint(cfg.n_timesteps - cfg.decode_steps + 1, (1,), generator=g)) if cfg.decode_steps else 0
                window = slice(s, s + cfg.decode_steps) if cfg.decode_steps else None
                out = train_step(m, x, sample_gumbel((B, E, cfg.n_edge_types), generator=g), opt, False, window)
            if r: times[name].append((time.perf_counter() - t0) / a.steps)
            losses[name].append(round(float(out['loss']), 6))
    CNNBlock.forward = fast
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med['pooling as drawn (fig. 13)']
    res = dict(column=f'{a.sim}{a.n_objects}', preset='quick', batch=B, encoder_hidden=cfg.encoder_hidden,
               steps_per_rep=a.steps, reps=a.reps,
               ms_per_step={k: round(v * 1e3, 1) for k, v in med.items()}, speedup_vs_first={k: round(base / v, 3) for k, v in med.items()},
               loss_after_each_rep=losses,
               steps_per_epoch=-(-cfg.n_train // B), machine=dict(processor=platform.processor() or platform.platform(),
                                                                 threads=torch.get_num_threads(), torch=torch.__version__))
    print(json.dumps(res, indent=1))
    from nri_nb.core import atomic_write
    with atomic_write(HERE/'results'/f'cnn_step_{a.sim}{a.n_objects}.json') as tmp: Path(tmp).write_text(json.dumps(res, indent=1))
