"Helpers of the misuse tests: run a real command in a subprocess, checksum folders, read its one-line error."
import hashlib, os, subprocess, sys
from pathlib import Path

BIN = Path(sys.executable).parent
# a tiny data set and model: every training command here takes seconds
SIZES = ['--n-train', '96', '--n-valid', '16', '--n-test', '16']
TINY = [*SIZES, '--n-timesteps', '12', '--test-steps', '6', '--prediction-steps', '3', '--encoder-hidden', '16',
        '--decoder-hidden', '16', '--batch-size', '16', '--seed', '3', '--quiet', '--num-threads', '1']


def make_data(d, sim='springs', n=5):
    from nri_nb.data import generate_dataset
    return generate_dataset(d, sim, n, n_train=96, n_valid=16, n_test=16, n_frames_train=12, n_frames_test=20, seed=0, progress=False)


def run(*args, cwd=None, env=None, timeout=300):
    "Run a package command (`nri-train ...`) in a subprocess; returns the CompletedProcess."
    return subprocess.run([str(BIN / args[0]), *map(str, args[1:])], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def snapshot(*folders) -> dict:
    "SHA-256 of every file under the folders (missing folders count as empty): compare before and after a command."
    out = {}
    for f in map(Path, folders):
        for p in sorted(f.rglob('*')) if f.exists() else []:
            if p.is_file(): out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def clear_error(p, *words):
    "Assert that a command failed with one line on stderr (no traceback) that contains every one of `words`; returns the line."
    err = p.stderr.strip()
    assert p.returncode != 0, f'exit code 0; stdout:\n{p.stdout}\nstderr:\n{p.stderr}'
    assert 'Traceback' not in err, err
    lines = [l for l in err.splitlines() if l.strip()]
    line = lines[-1]
    if len(lines) > 1: assert lines[0].startswith('usage:') and all(l.startswith(' ') for l in lines[1:-1]), err   # argparse: usage, then the error
    for w in words: assert w in line, f'{w!r} not in {line!r}'
    return line
