"""Where a training step of a quick preset spends its time: the whole step, the encoder's and the decoder's forward +
backward pass alone, and torch.profiler's operators by self CPU time, on a random batch of the preset's shape.

    python bench/profile_step.py [--sim kuramoto] [--n-objects 5] [--steps 10]

One process, the machine otherwise idle; writes `results/profile_{column}.json`."""
import argparse, json, platform, time
from pathlib import Path
import torch
from torch.profiler import profile, ProfilerActivity
from nri_nb.core import atomic_write
from nri_nb.model import build_nri
from nri_nb.sampling import sample_gumbel
from nri_nb.train import make_config, train_step

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument('--sim', default='kuramoto'); ap.add_argument('--n-objects', type=int, default=5)
ap.add_argument('--steps', type=int, default=10)
a = ap.parse_args()
cfg = make_config('quick', sim=a.sim, n_objects=a.n_objects)
torch.manual_seed(0)
x = torch.rand(cfg.batch_size, cfg.n_objects, cfg.n_timesteps, cfg.n_features) * 2 - 1
m = build_nri(**cfg.model_kwargs(None)); opt = torch.optim.Adam(m.parameters(), lr=cfg.lr)
B, N, E = cfg.batch_size, cfg.n_objects, cfg.n_objects * (cfg.n_objects - 1)
g = torch.Generator().manual_seed(0)

def step():
    s = int(torch.randint(cfg.n_timesteps - cfg.decode_steps + 1, (1,), generator=g)) if cfg.decode_steps else 0
    window = slice(s, s + cfg.decode_steps) if cfg.decode_steps else None
    train_step(m, x, sample_gumbel((B, E, cfg.n_edge_types), generator=g), opt, False, window)

def ms(f, n):
    for _ in range(2): f()
    t0 = time.perf_counter()
    for _ in range(n): f()
    return (time.perf_counter() - t0) / n * 1e3

z = torch.softmax(torch.randn(B, E, cfg.n_edge_types), -1).requires_grad_()
res = dict(column=f'{a.sim}{a.n_objects}', preset='quick', batch=B, decoder_hidden=cfg.decoder_hidden, decode_steps=cfg.decode_steps,
           ms_per_step=round(ms(step, a.steps), 1),
           encoder_fwd_bwd_ms=round(ms(lambda: m.encoder(x).sum().backward(), a.steps), 1),
           decoder_fwd_bwd_ms=round(ms(lambda: m.decoder(x, z, cfg.prediction_steps).sum().backward(), a.steps), 1))
with profile(activities=[ProfilerActivity.CPU]) as prof:
    for _ in range(3): step()
ops = sorted(prof.key_averages(), key=lambda e: -e.self_cpu_time_total)[:15]
res['top_ops_self_ms_per_step'] = {e.key: round(e.self_cpu_time_total / 3e3, 1) for e in ops}
res['machine'] = dict(processor=platform.processor() or platform.platform(), threads=torch.get_num_threads(), torch=torch.__version__)
print(json.dumps(res, indent=1))
out = Path(__file__).resolve().parent/'results'/f"profile_{res['column']}.json"
with atomic_write(out) as tmp: Path(tmp).write_text(json.dumps(res, indent=1))
