"""How the quick preset was chosen: learning curves of candidate settings, and what each costs on this CPU.

Two measurements, combined into bench/results/sweep_quick.json:

    python bench/sweep_quick.py cpu                     # seconds per training step of each candidate, here (2 threads)
    python bench/sweep_quick.py curves --device cuda    # learning curves, many candidates at once on one GPU
    python bench/sweep_quick.py curves --device cpu --parallel 1 --deadline 120 --epochs-scale 0.01   # dry run

`curves` trains every candidate for the epochs that its measured CPU step time allows within the CPU budget
(`--budget-s` of pure training steps), one process per run, and keeps each run's per-epoch validation accuracy
and its final test accuracy. The curves only rank candidates: the learning dynamics do not depend on the
device, but their wall time does, so the preset is then confirmed end to end on the CPU by
bench/bench_quick_preset.py, which is the measurement that counts.
"""
import argparse, json, math, os, re, subprocess, sys, time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

N_TRAIN = 50_000
# Each candidate's name spells out its settings (decoder width 64 and skip_first in all), read by `spec`:
# wL decode an L-step window (full: all 49 steps), eN encoder width N, bN batch size (default 128),
# lrN learning rate N x 1e-3 (default 1e-3), MN prediction steps, tauN Gumbel-softmax temperature.
NAMES = ['full-e256',   # the preset before decode windows
         'w20-e256', 'w20-e128', 'w20-e128-b64', 'w20-e256-b64', 'w11-e256', 'w20-e128-lr2', 'w20-e256-lr2',
         # round 2, around round 1's winner
         'w11-e128-lr2', 'w20-e128-lr2-M19', 'w20-e128-lr4', 'w20-e64-lr2', 'w20-e128-b64-lr2', 'w11-e64-lr2',
         'w11-e128-b64-lr2', 'w20-e128-lr2-tau1']

def spec(name):
    "The training settings a candidate's name spells out (see above)."
    out = dict(encoder_hidden=None, decoder_hidden=64, batch_size=128, decode_steps=None, lr=1e-3)
    ints = {'w': 'decode_steps', 'e': 'encoder_hidden', 'b': 'batch_size', 'M': 'prediction_steps'}
    for tok in name.split('-'):
        m = re.fullmatch(r'(full|w|e|b|lr|M|tau)(\d*)', tok)
        if not m or (m[1] != 'full') != bool(m[2]): raise ValueError(f"candidate {name!r}: cannot read {tok!r}")
        if m[1] == 'lr': out['lr'] = int(m[2]) * 1e-3
        elif m[1] == 'tau': out['tau'] = float(m[2])
        elif m[1] in ints: out[ints[m[1]]] = int(m[2])
    if out['encoder_hidden'] is None: raise ValueError(f"candidate {name!r}: no encoder width (eN)")
    return out

CANDIDATES = {name: spec(name) for name in NAMES}


def cpu_step_seconds(encoder_hidden, decoder_hidden, batch_size, decode_steps, lr, threads=2, iters=9, **extra):
    "Median seconds of one training step on this CPU."
    enc, dec, batch, window = encoder_hidden, decoder_hidden, batch_size, decode_steps
    import torch
    from nri_nb.model import build_nri
    from nri_nb.sampling import sample_gumbel
    from nri_nb.train import train_step
    torch.set_num_threads(threads); torch.manual_seed(0)
    x = torch.rand(batch, 5, 49, 4) * 2 - 1
    model = build_nri(4, 49, encoder_hidden=enc, decoder_hidden=dec, skip_first=True, **extra)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    times = []
    for i in range(iters + 3):
        w = None if window is None else slice(i % (49 - window + 1), i % (49 - window + 1) + window)
        t = time.perf_counter(); train_step(model, x, sample_gumbel((batch, 20, 2)), opt, window=w)
        times.append(time.perf_counter() - t)
    times = sorted(times[3:])
    return times[len(times) // 2]


def plan(cpu, budget_s, scale, names):
    "epochs and lr_decay per candidate: as many whole epochs as `budget_s` of CPU steps allow, lr halved 4 times."
    out = {}
    for name in names:
        spec = CANDIDATES[name]
        epochs = max(1, int(scale * budget_s / cpu[name] / math.ceil(N_TRAIN / spec['batch_size'])))
        out[name] = dict(spec, epochs=epochs, lr_decay=max(1, round(epochs / 4)), cpu_s_per_step=cpu[name])
    return out


def run_one(args):
    "One training run (in its own process): writes RUN/metrics.jsonl per epoch and RUN/metrics.json."
    import torch
    from nri_nb.train import make_config, train
    torch.set_num_threads(1)
    spec = json.loads(args.spec)
    cfg = make_config('quick', data_dir=args.data_dir, seed=spec.pop('seed'), max_minutes=None, gamma=0.5, **spec)
    if args.n_train: cfg.n_train = args.n_train
    train(cfg, args.run_dir, device=args.device, progress=False, verbose=False)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('what', choices=['cpu', 'curves', 'one'])
    p.add_argument('--device', default='cpu')
    p.add_argument('--names', default='', help='comma-separated CANDIDATES (default: all that have a CPU timing, or all for `cpu`)')
    p.add_argument('--seeds', default='1', help='seeds for every candidate')
    p.add_argument('--seeds2', default='', help='extra seeds, for CANDIDATES named in --names2')
    p.add_argument('--names2', default='')
    p.add_argument('--budget-s', type=float, default=700., help='CPU seconds of training steps per run')
    p.add_argument('--epochs-scale', type=float, default=1., help='dry runs: scale the planned epochs')
    p.add_argument('--parallel', type=int, default=12)
    p.add_argument('--deadline', type=float, default=400., help='seconds; runs still going are stopped')
    p.add_argument('--workdir', default='runs/sweep')
    p.add_argument('--data-dir', default=None)
    p.add_argument('--n-train', type=int, default=None)
    p.add_argument('--out', default=str(HERE / 'results' / 'sweep_quick.json'))
    p.add_argument('--spec'); p.add_argument('--run-dir')
    a = p.parse_args()
    if a.what == 'one': return run_one(a)
    out_path = Path(a.out)
    result = json.loads(out_path.read_text()) if out_path.exists() else {}
    if a.what == 'cpu':
        import torch
        names = a.names.split(',') if a.names else list(CANDIDATES)
        result['cpu'] = result.get('cpu', {}) | {name: cpu_step_seconds(**CANDIDATES[name]) for name in names}
        result['cpu_machine'] = dict(cpus=os.cpu_count(), torch=torch.__version__, threads=2, loadavg=os.getloadavg())
        for k, v in result['cpu'].items():
            if k in names: print(f'{k:14s} {v * 1e3:6.0f} ms/step', flush=True)
    else:
        import torch
        from nri_nb.data import generate_dataset
        work = Path(a.workdir); work.mkdir(parents=True, exist_ok=True)
        data_dir = Path(a.data_dir or work / 'data')
        if not (data_dir / 'manifest.json').exists():
            generate_dataset(data_dir, sim='springs', n_objects=5, n_train=N_TRAIN, n_valid=2_000, n_test=10_000, seed=42, progress=False)
        runs = plan(result['cpu'], a.budget_s, a.epochs_scale, a.names.split(',') if a.names else list(result['cpu']))
        jobs = [(n, s) for s in a.seeds.split(',') for n in runs]
        jobs += [(n, s) for s in a.seeds2.split(',') if s for n in a.names2.split(',') if n]
        procs, t0, pending = {}, time.perf_counter(), list(jobs)
        while pending or procs:
            while pending and len(procs) < a.parallel:
                name, seed = pending.pop(0)
                run_dir = work / f'{name}-s{seed}'
                spec = json.dumps({k: v for k, v in runs[name].items() if k != 'cpu_s_per_step'} | dict(seed=int(seed)))
                cmd = [sys.executable, __file__, 'one', '--device', a.device, '--spec', spec, '--run-dir', str(run_dir),
                       '--data-dir', str(data_dir)] + (['--n-train', str(a.n_train)] if a.n_train else [])
                procs[(name, seed)] = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(work / f'{name}-s{seed}.err', 'w'))
            time.sleep(2)
            for k, pr in list(procs.items()):
                if pr.poll() is not None: procs.pop(k); print(f'{time.perf_counter() - t0:6.0f} s  done {k} rc={pr.returncode}', flush=True)
            if time.perf_counter() - t0 > a.deadline:
                for k, pr in procs.items(): pr.kill(); print(f'deadline: stopped {k}', flush=True)
                procs = {}; pending = []
        curves = {}
        for name, seed in jobs:
            d = work / f'{name}-s{seed}'
            hist = [json.loads(l) for l in (d / 'metrics.jsonl').read_text().splitlines()] if (d / 'metrics.jsonl').exists() else []
            fin = json.loads((d / 'metrics.json').read_text()) if (d / 'metrics.json').exists() else {}
            curves[f'{name}-s{seed}'] = dict(plan=runs[name], seed=int(seed), valid_accuracy=[h['valid_edge_accuracy'] for h in hist],
                                              epoch_seconds=[h['epoch_seconds'] for h in hist],
                                              test_edge_accuracy=fin.get('edge_accuracy'), finished=bool(fin))
            print(f"{name:14s} s{seed}: epochs {len(hist)}/{runs[name]['epochs']}  valid "
                  f"{' '.join(f'{v:.3f}' for v in curves[f'{name}-s{seed}']['valid_accuracy'])}  test {fin.get('edge_accuracy')}", flush=True)
        result['curves'] = result.get('curves', {}) | curves
        result.setdefault('curves_machines', []).append(dict(device=a.device, name=torch.cuda.get_device_name() if a.device.startswith('cuda') else 'cpu',
                                        torch=torch.__version__, budget_s=a.budget_s, parallel=a.parallel, seconds=time.perf_counter() - t0, runs=sorted(curves)))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_suffix('.tmp'); tmp.write_text(json.dumps(result, indent=1)); os.replace(tmp, out_path)
    print('wrote', out_path)


if __name__ == '__main__':
    main()
