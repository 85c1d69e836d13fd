"""What the opt-in speed-ups do to accuracy: the same short quick-preset run (same data, seed and batches)
plain, with `--compile` and with `--bf16`; writes bench/results/optin_accuracy.json.

    python bench/bench_optin_accuracy.py                    # 10k training simulations, 6 epochs, seed 1
    python bench/bench_optin_accuracy.py --epochs 3 --n-train 2000

Speed is measured by bench/bench_train.py; this script compares what the runs learn: validation edge
accuracy after every epoch, the final test edge accuracy and test MSE, and their wall time.
"""
import argparse, json, os, platform, shutil, subprocess, sys, time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--variants', default='plain,compile,bf16')
    p.add_argument('--n-train', type=int, default=10_000)
    p.add_argument('--epochs', type=int, default=6)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--workdir', default='runs/bench-optin')
    p.add_argument('--out', default=str(HERE / 'results' / 'optin_accuracy.json'))
    a = p.parse_args()
    nri_train = str(Path(sys.executable).parent / 'nri-train')
    work = Path(a.workdir); data = work / 'data'
    env = {k: v for k, v in os.environ.items() if k != 'IN_TEST'}
    runs = {}
    for variant in a.variants.split(','):
        out = work / variant; shutil.rmtree(out, ignore_errors=True)
        cmd = [nri_train, '--preset', 'quick', '--seed', str(a.seed), '--out', str(out), '--data-dir', str(data),
               '--n-train', str(a.n_train), '--n-test', '2000', '--epochs', str(a.epochs), '--lr-decay', str(max(1, a.epochs // 2)),
               '--max-minutes', '1000', '--quiet', '--device', 'cpu'] + ([f'--{variant}'] if variant != 'plain' else [])
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if proc.returncode: sys.exit(f'{variant} failed:\n{proc.stderr[-3000:]}')
        m = json.loads((out / 'metrics.json').read_text())
        hist = [json.loads(l) for l in (out / 'metrics.jsonl').read_text().splitlines()]
        runs[variant] = dict(command=' '.join(cmd[1:]), wall_seconds=time.perf_counter() - t0,
                             valid_accuracy_per_epoch=[h['valid_edge_accuracy'] for h in hist],
                             train_loss_per_epoch=[h['train_loss'] for h in hist],
                             epoch_seconds=[h['epoch_seconds'] for h in hist],
                             test_edge_accuracy=m['edge_accuracy'], test_mse_1_10_20=[m['mse_per_step'][i] for i in (0, 9, 19)])
        r = runs[variant]
        print(f"{variant:8s} valid {' '.join(f'{v:.3f}' for v in r['valid_accuracy_per_epoch'])}  test {r['test_edge_accuracy']:.4f}  "
              f"MSE@10 {r['test_mse_1_10_20'][1]:.2e}  {r['wall_seconds']:.0f} s", flush=True)
    result = dict(settings=dict(preset='quick', n_train=a.n_train, epochs=a.epochs, seed=a.seed), runs=runs,
                  machine=dict(platform=platform.platform(), cpus=os.cpu_count(), torch=__import__('torch').__version__,
                               loadavg_at_end=os.getloadavg()))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(a.out).with_suffix('.tmp'); tmp.write_text(json.dumps(result, indent=1)); os.replace(tmp, a.out)
    print('wrote', a.out)


if __name__ == '__main__':
    main()
