"""A training step of each Table 1 column's quick preset in float32 and under bfloat16 autocast (`--bf16`): ms per
step and the ratio, on a random batch of the preset's shape, and how far the bfloat16 loss is from the float32 one
on the same batch, weights and Gumbel noise.

    python bench/bench_bf16_step.py [--columns kuramoto5,charged5] [--reps 7] [--steps 3] [--preset quick]

One process, the machine otherwise idle; the two settings alternate within each repetition, each figure is a
median. Writes `results/bf16_step.json`. bfloat16 products are fast only on a CPU with bfloat16 instructions
(AVX512-BF16 or AMX); the file records what this one has."""
import argparse, json, platform, statistics, time
from pathlib import Path
import torch
from nri_nb.core import atomic_write, keep_freed_memory
from nri_nb.experiments import COLUMNS
from nri_nb.model import build_nri
from nri_nb.sampling import sample_gumbel
from nri_nb.train import bf16_native, make_config, train_step

HERE = Path(__file__).resolve().parent
ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument('--columns', default=','.join(COLUMNS)); ap.add_argument('--reps', type=int, default=7)
ap.add_argument('--steps', type=int, default=3, help='training steps per timing')
ap.add_argument('--preset', default='quick', help="the presets' settings: quick or paper (a key `COLUMN (paper)` in the results)")
a = ap.parse_args()
keep_freed_memory()   # as `train` does
out = {}
for col in a.columns.split(','):
    sim, n = COLUMNS[col]
    cfg = make_config(a.preset, sim=sim, n_objects=n)
    torch.manual_seed(0)
    x = torch.rand(cfg.batch_size, n, cfg.n_timesteps, cfg.n_features) * 2 - 1
    m = build_nri(**cfg.model_kwargs(None)); opt = torch.optim.Adam(m.parameters(), lr=cfg.lr)
    B, E = cfg.batch_size, n * (n - 1)
    g = torch.Generator().manual_seed(0)
    window = slice(0, cfg.decode_steps) if cfg.decode_steps else None
    noise = sample_gumbel((B, E, cfg.n_edge_types), generator=g)
    loss = {bf: train_step(m, x, noise, None, bf, window)['loss'] for bf in (False, True)}   # no optimiser step: same weights
    times = {False: [], True: []}
    for r in range(a.reps + 1):
        for bf in (False, True):
            t0 = time.perf_counter()
            for _ in range(a.steps): train_step(m, x, sample_gumbel((B, E, cfg.n_edge_types), generator=g), opt, bf, window)
            if r: times[bf].append((time.perf_counter() - t0) / a.steps * 1e3)
    f32, b16 = statistics.median(times[False]), statistics.median(times[True])
    out[col if a.preset == 'quick' else f'{col} ({a.preset})'] = dict(ms_per_step_float32=round(f32, 1), ms_per_step_bf16=round(b16, 1), speedup=round(f32 / b16, 3),
                    loss_float32=float(loss[False]), loss_bf16=float(loss[True]),
                    loss_rel_diff=abs(float(loss[True]) / float(loss[False]) - 1),
                    settings=dict(batch=B, encoder=cfg.encoder, encoder_hidden=cfg.encoder_hidden, decoder_hidden=cfg.decoder_hidden,
                                  decode_steps=cfg.decode_steps))
    print(col, a.preset, {k: v for k, v in list(out.values())[-1].items() if k != 'settings'}, flush=True)
res = dict(columns=out, reps=a.reps, steps=a.steps,   # reps and steps of the last call
           machine=dict(processor=platform.processor() or platform.platform(), threads=torch.get_num_threads(), torch=torch.__version__,
                        cpu_capability=torch.backends.cpu.get_cpu_capability(), bf16_instructions=bf16_native()))
path = HERE / 'results' / 'bf16_step.json'
old = json.loads(path.read_text()) if path.exists() else {}
res['columns'] = {**old.get('columns', {}), **out}
with atomic_write(path) as tmp: Path(tmp).write_text(json.dumps(res, indent=1))
