"""The quick preset end to end, as a user runs it: `nri-train --preset quick` on a fresh data folder
(so data generation is part of the wall time), once per seed; writes bench/results/quick_preset.json.

    python bench/bench_quick_preset.py                  # seeds 1, 2, 3
    python bench/bench_quick_preset.py --seeds 4 --extra "--epochs 8"
"""
import argparse, json, os, platform, shutil, subprocess, sys, time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--seeds', default='1,2,3')
    p.add_argument('--workdir', default='runs/bench-quick', help='run folders (and their fresh data) go here')
    p.add_argument('--extra', default='', help='more nri-train flags')
    p.add_argument('--out', default=str(HERE / 'results' / 'quick_preset.json'))
    p.add_argument('--collect', action='store_true',
                   help='do not train: collect finished runs from WORKDIR (wall time then from their metrics.json)')
    a = p.parse_args()
    nri_train = str(Path(sys.executable).parent / 'nri-train')
    runs = []
    for seed in [int(s) for s in a.seeds.split(',')]:
        run_dir = Path(a.workdir) / f'seed{seed}'
        cmd = [nri_train, '--preset', 'quick', '--seed', str(seed), '--out', str(run_dir), '--data-dir', str(run_dir / 'data'),
               '--quiet', *a.extra.split()]
        if not a.collect:
            shutil.rmtree(run_dir, ignore_errors=True)
            env = {k: v for k, v in os.environ.items() if k != 'IN_TEST'}
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
            wall = time.perf_counter() - t0
            if proc.returncode: sys.exit(f'seed {seed} failed:\n{proc.stderr[-3000:]}')
        m = json.loads((run_dir / 'metrics.json').read_text())
        if a.collect: wall = m['wall_seconds']
        hist = [json.loads(l) for l in (run_dir / 'metrics.jsonl').read_text().splitlines()]
        data_s = json.loads((run_dir / 'data' / 'manifest.json').read_text()).get('seconds')
        row = dict(seed=seed, command=' '.join(cmd[1:]), wall_seconds=wall, data_seconds=data_s,
                   edge_accuracy=m['edge_accuracy'], auroc=m['auroc'], mse_1_10_20=[m['mse_per_step'][i] for i in (0, 9, 19)],
                   epochs_run=m['epochs_run'], best_epoch=m['best_epoch'],
                   valid_accuracy_per_epoch=[h['valid_edge_accuracy'] for h in hist],
                   epoch_seconds=[h['epoch_seconds'] for h in hist])
        row['wall_measured_by'] = 'metrics.json (inside nri-train)' if a.collect else 'this script (whole command)'
        runs.append(row)
        print(f"seed {seed}: test edge accuracy {row['edge_accuracy']:.4f}, AUROC {row['auroc']:.4f}, "
              f"{wall / 60:.1f} min wall (data {data_s} s), {row['epochs_run']} epochs", flush=True)
    result = dict(preset='quick', runs=runs, min_edge_accuracy=min(r['edge_accuracy'] for r in runs),
                  max_wall_minutes=max(r['wall_seconds'] for r in runs) / 60,
                  machine=dict(platform=platform.platform(), cpus=os.cpu_count(), python=platform.python_version(),
                               torch=__import__('torch').__version__, loadavg_at_end=os.getloadavg()))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(a.out).with_suffix('.tmp'); tmp.write_text(json.dumps(result, indent=1)); os.replace(tmp, a.out)
    print(f"min accuracy {result['min_edge_accuracy']:.4f}, max wall {result['max_wall_minutes']:.1f} min -> {a.out}")


if __name__ == '__main__':
    main()
