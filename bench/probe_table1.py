"""Short probes for the laptop presets of Table 1's columns: `nri-train` runs of a few minutes each, one
candidate setting per run, on one data folder per column; writes their validation curves against wall time
to bench/results/table1_probes.json. Run them one at a time on an otherwise idle machine.

    python bench/probe_table1.py --name charged5-cnn64 --minutes 10 \\
        --flags "--preset quick --sim charged --n-objects 5 --skip-first no --encoder cnn --encoder-hidden 64 --epochs 100 --lr-decay 100 --seed 11"
    python bench/probe_table1.py --collect runs/p2-cnn64 --name charged5-cnn64 --flags "..."   # a run made with those flags
"""
import argparse, json, os, platform, subprocess, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--name', required=True, help='the candidate, a key of the results file')
    p.add_argument('--flags', required=True, help='nri-train flags of the candidate')
    p.add_argument('--minutes', type=float, default=10., help='--max-minutes of the probe')
    p.add_argument('--workdir', default='runs/probes')
    p.add_argument('--collect', default=None, help='do not train: read the finished run in this folder (made with FLAGS)')
    p.add_argument('--out', default=str(HERE / 'results' / 'table1_probes.json'))
    p.add_argument('--note', default=None, help='the conditions of the run (threads, what ran beside it), kept with its curve')
    a = p.parse_args()
    run_dir = Path(a.collect or Path(a.workdir) / a.name)
    cmd = ['nri-train', *a.flags.split(), '--max-minutes', str(a.minutes), '--out', str(run_dir), '--quiet']
    if not a.collect:
        env = {k: v for k, v in os.environ.items() if k != 'IN_TEST'}
        proc = subprocess.run([str(Path(sys.executable).parent / cmd[0]), *cmd[1:]], capture_output=True, text=True, env=env)
        if proc.returncode: sys.exit(f'{a.name} failed:\n{proc.stderr[-3000:]}')
    # a probe stopped by hand before its test has no metrics.json: its validation curve still counts
    m = json.loads((run_dir / 'metrics.json').read_text()) if (run_dir / 'metrics.json').exists() else dict(edge_accuracy=None)
    hist = [json.loads(l) for l in (run_dir / 'metrics.jsonl').read_text().splitlines()]
    res = json.loads(Path(a.out).read_text()) if Path(a.out).exists() else dict(machine=dict(
        platform=platform.platform(), cpu_count=os.cpu_count(), python=platform.python_version()), probes={})
    cfg = json.loads((run_dir / 'config.json').read_text())
    res['probes'][a.name] = dict(command=' '.join(cmd), note=a.note, settings={k: v for k, v in cfg.items() if k != 'data_dir'},
                                 test_edge_accuracy=m['edge_accuracy'], epochs_run=len(hist),
                                 wall_minutes=[h['wall_seconds'] / 60 for h in hist],
                                 valid_edge_accuracy=[h['valid_edge_accuracy'] for h in hist],
                                 epoch_seconds=[h['epoch_seconds'] for h in hist],
                                 lr=[h.get('lr') for h in hist],   # the rate each epoch trained with
                                 train_nll=[h.get('train_nll') for h in hist],   # the ELBO's two terms, training means per epoch
                                 train_kl=[h.get('train_kl') for h in hist],
                                 run_minutes=m['wall_seconds'] / 60 if 'wall_seconds' in m else None)   # the whole run, its test included
    tmp = Path(a.out).with_suffix('.json.tmp')
    tmp.write_text(json.dumps(res, indent=1)); tmp.replace(a.out)
    print(a.name, f"validation edge accuracy {hist[-1]['valid_edge_accuracy']:.4f} after {len(hist)} epochs, {hist[-1]['wall_seconds'] / 60:.1f} min;",
          'test', 'not run (stopped by hand)' if m['edge_accuracy'] is None else f"{m['edge_accuracy']:.4f}")


if __name__ == '__main__':
    main()
