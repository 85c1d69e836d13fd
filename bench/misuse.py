"""Try the package as a careless user would and count what happens: a clear error, a traceback, a run that goes on
silently with a wrong or meaningless result, or lost data.

    python bench/misuse.py --bin .venv/bin --out bench/results/misuse.json

`--bin` is the folder of the commands (`nri-train`, ...) of the installation to try, so the same cases can be run
against an older version of the package. Every case runs the real command in a subprocess, in a fresh folder, with
`IN_TEST=1` (a value that is wrongly accepted then costs a smoke run of seconds, not a real training run).

Outcomes, per case:
- `clear error`: non-zero exit, no traceback (every case here is a misuse that should end this way);
- `works`: an `ok` case (something a user may rightly expect to work) did what it should;
- `traceback`: a Python traceback reached the user;
- `silent`: exit 0 (or ran past the time limit), i.e. the misuse went unnoticed; an `ok` case whose check fails too;
- `data lost`: a file that existed before the command was changed or removed by it.
"""
import argparse, hashlib, json, os, shutil, signal, subprocess, sys, tempfile, time
from pathlib import Path

HUGE = '1' + '0' * 30
SIZES = ['--n-train', '96', '--n-valid', '16', '--n-test', '16']
TINY = [*SIZES, '--n-timesteps', '12', '--test-steps', '6', '--prediction-steps', '3', '--encoder-hidden', '16',
        '--decoder-hidden', '16', '--batch-size', '16', '--seed', '3', '--quiet', '--num-threads', '1']
GEN = ['--n-train', '96', '--n-valid', '16', '--n-test', '16', '--n-frames-train', '12', '--n-frames-test', '20', '--quiet']


def snapshot(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob('*')) if p.is_file() and p.name != '.nri_nb.lock'}


class Runner:
    def __init__(self, bin_dir, work):
        self.bin, self.work = Path(bin_dir), Path(work)
        self.data = self.work / 'shared' / 'springs5'
        self.run_dir = self.work / 'shared' / 'run'

    def cmd(self, name, *args, cwd=None, timeout=60, env=None):
        t0 = time.time()
        try:
            p = subprocess.run([str(self.bin / name), *map(str, args)], capture_output=True, text=True, cwd=cwd or self.work,
                               timeout=timeout, env={**os.environ, 'IN_TEST': '1', **(env or {})})
            return p.returncode, p.stdout, p.stderr, time.time() - t0
        except subprocess.TimeoutExpired: return None, '', '', time.time() - t0

    def setup(self):
        (self.work / 'shared').mkdir(parents=True)
        assert self.cmd('nri-generate', '--out', self.data, *GEN)[0] == 0
        rc, out, err, _ = self.cmd('nri-train', '--data-dir', self.data, '--out', self.run_dir, '--epochs', 2, *TINY)
        assert rc == 0, err


def classify(rc, err, lost, ok=None):
    if lost: return 'data lost'
    if 'Traceback' in err: return 'traceback'
    if ok is not None: return 'works' if ok else 'silent'                # an `ok` case: it worked as it should, or not
    if rc is None or rc == 0: return 'silent'
    return 'clear error'


def cases(r: Runner):
    "Yield (class, name, function) for every case; each function returns (rc, stderr, lost, ok)."
    def fresh(name): d = r.work / name; d.mkdir(); return d

    def copy_run(name):
        d = r.work / name; shutil.copytree(r.run_dir, d); return d

    def simple(cmd, *args, protect=None, cwd=None, timeout=60, ok=None):
        def f():
            before = snapshot(protect) if protect else None
            rc, out, err, _ = r.cmd(cmd, *args, cwd=cwd, timeout=timeout)
            lost = protect is not None and {k: v for k, v in snapshot(protect).items() if k in before} != before
            return rc, err, lost, (ok(rc, out, err) if ok else None)
        return f

    # ---- data loss
    def second_run():
        d = copy_run('second'); return simple('nri-train', '--data-dir', r.data, '--out', d, '--epochs', 1, *TINY, protect=d)()
    yield 'data loss', 'second nri-train into a folder holding a run', second_run

    def concurrent():
        d = r.work / 'concurrent'
        a = subprocess.Popen([str(r.bin / 'nri-train'), '--data-dir', str(r.data), '--out', str(d), '--epochs', '150', *TINY],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env={**os.environ, 'IN_TEST': '1'})
        t0 = time.time()
        while not (d / 'metrics.jsonl').exists() and time.time() - t0 < 60: time.sleep(0.05)
        rc, out, err, _ = r.cmd('nri-train', '--data-dir', r.data, '--out', d, '--epochs', 1, *TINY)
        a.wait()
        m = json.loads((d / 'metrics.json').read_text()) if (d / 'metrics.json').exists() else {}
        lost = m.get('epochs_run') != 150 or rc == 0       # both said they succeeded, one folder holds one run: a run's results are gone
        return rc, err, lost, None
    yield 'data loss', 'two nri-train runs started at once on one folder', concurrent

    def from_ref_over_other():
        ref = fresh('ref_charged')
        r.cmd('nri-generate', '--sim', 'charged', '--out', ref, *GEN, '--reference-layout')
        tgt = r.work / 'other_springs'; shutil.copytree(r.data, tgt)
        return simple('nri-generate', '--from-reference', ref, '--sim', 'charged', '--out', tgt, protect=tgt)()
    yield 'data loss', 'nri-generate --from-reference over a data set of another simulation', from_ref_over_other

    def user_files():
        d = fresh('user_npy')
        import numpy as np
        for n in ('x_train.npy', 'adj_train.npy'): np.save(d / n, np.arange(4.))
        return simple('nri-generate', '--out', d, *GEN, protect=d)()
    yield 'data loss', "nri-generate into a folder of the user's own .npy files", user_files

    def evaluate_elsewhere():
        d = fresh('elsewhere')
        rc, out, err, _ = r.cmd('nri-evaluate', r.run_dir, '--plot', r.work / 'p.png', cwd=d, timeout=120)
        generated = any(d.iterdir())
        return rc, err, False, (rc == 0 and not generated)
    yield 'data loss', 'nri-evaluate RUN from another working folder (ok: uses the run data, generates nothing)', evaluate_elsewhere

    def evaluate_relative():
        a = fresh('rel_a'); shutil.copytree(r.data, a / 'springs5')
        r.cmd('nri-train', '--data-dir', 'springs5', '--out', 'run', '--epochs', 1, *TINY, cwd=a)
        b = fresh('rel_b')
        rc, out, err, _ = r.cmd('nri-evaluate', a / 'run', '--plot', r.work / 'p2.png', cwd=b, timeout=120)
        return rc, err, False, (rc == 0 and not any(b.iterdir()))
    yield 'data loss', 'nri-evaluate RUN from another folder, the run trained with a relative --data-dir (ok: finds its data)', evaluate_relative

    def evaluate_data_gone():
        d = fresh('gone'); data = d / 'springs5'; shutil.copytree(r.data, data)
        run = d / 'run'
        r.cmd('nri-train', '--data-dir', data, '--out', run, '--epochs', 1, *TINY)
        shutil.rmtree(data)
        rc, out, err, _ = r.cmd('nri-evaluate', run, '--plot', d / 'p.png', cwd=d, timeout=120)
        return rc, err, False, (rc != 0 and not data.exists())
    yield 'data loss', 'nri-evaluate RUN after its data folder was removed (ok: a message, no new data set)', evaluate_data_gone

    # ---- silently wrong
    silent = [(['--lr', '-0.001'], 'negative learning rate'), (['--gamma', '-0.5'], 'negative learning-rate factor'),
              (['--gamma', '3'], 'learning-rate factor above 1'), (['--encoder-dropout', '1.5'], 'dropout above 1'),
              (['--tau', '0'], 'zero temperature'), (['--tau', 'nan'], 'NaN temperature'), (['--variance', '-1'], 'negative variance'),
              (['--prior', '0.5,0.6'], 'prior not summing to 1'), (['--prior', '0.2,0.3,0.5'], 'prior of the wrong length'),
              (['--n-train', '500'], 'more training simulations than the folder holds'),
              (['--n-test', '500'], 'more test simulations than the folder holds'),
              (['--test-steps', '30'], 'test horizon longer than the test trajectories'),
              (['--decoder', 'sim', '--sim', 'kuramoto'], 'simulation decoder for Kuramoto'),
              (['--n-edge-types', '1', '--skip-first', 'yes'], 'skip_first with one edge type'),
              (['--max-minutes', '-5'], 'negative time budget'), (['--num-threads', '0'], 'zero threads')]
    for args, what in silent:
        yield 'silently wrong', f'nri-train {what}', (lambda a=args, w=what: simple(
            'nri-train', '--data-dir', r.data, '--out', r.work / ('s_' + w.replace(' ', '_')), *TINY, *a, timeout=90)())
    for args, what in [(['--noise-std', '-1'], 'negative noise'), (['--edge-probs', '0.5,0.6'], 'edge probabilities not summing to 1'),
                       (['--edge-values', '0,-1'], 'negative spring coupling'), (['--edge-probs', '0.5,0.5', '--edge-values', '0,1,2'], 'mismatched edge lists'),
                       (['--n-train', '0'], 'an empty training set'), (['--sim', 'kuramoto', '--edge-probs', '0.5,0.5'], 'edge probabilities for Kuramoto')]:
        yield 'silently wrong', f'nri-generate {what}', (lambda a=args, w=what: simple(
            'nri-generate', '--out', r.work / ('g_' + w.replace(' ', '_')), *GEN[:-1], '--quiet', *a, timeout=90)())

    def nan_data():
        d = r.work / 'nan_data'; shutil.copytree(r.data, d)
        import numpy as np
        x = np.load(d / 'x_train.npy'); x[3, 1, 2, 0] = np.nan; np.save(d / 'x_train.npy', x)
        m = json.loads((d / 'manifest.json').read_text())
        m['splits']['train']['files']['x']['sha256'] = hashlib.sha256((d / 'x_train.npy').read_bytes()).hexdigest()
        (d / 'manifest.json').write_text(json.dumps(m))
        return simple('nri-train', '--data-dir', d, '--out', r.work / 'nan_run', *TINY, timeout=90)()
    yield 'silently wrong', 'nri-train on a data set with a NaN (checksum recomputed)', nan_data

    def evaluate_twice():
        a = r.cmd('nri-evaluate', r.run_dir, '--plot', r.work / 'e.png', timeout=120)
        b = r.cmd('nri-evaluate', r.run_dir, '--plot', r.work / 'e.png', timeout=120)
        return a[0], a[2] + b[2], False, (a[0] == 0 and a[1] == b[1])
    yield 'silently wrong', 'nri-evaluate twice on one checkpoint (ok: the same numbers)', evaluate_twice

    py = [('model in training mode fed a NaN', "import torch; from nri_nb.model import build_nri; m = build_nri(4, 12, encoder_hidden=8, decoder_hidden=8).train(); x = torch.randn(4, 5, 12, 4); x[0, 0, 0, 0] = float('nan'); m(x)"),
          ('metrics fed NaN scores', "import torch; from nri_nb.metrics import EdgeMetrics; m = EdgeMetrics(); m.update(torch.full((2, 20, 2), float('nan')), torch.zeros(2, 20, dtype=torch.long)); print(m.accuracy())"),
          ('simulator with a negative time step', "from nri_nb.sims import simulate; simulate('springs', 2, 5, 4, dt=-1e-3)"),
          ('simulator with edge types outside the range', "import torch; from nri_nb.sims import simulate_springs; a = torch.full((2, 3, 3), 3) * (1 - torch.eye(3, dtype=torch.long)); simulate_springs(2, 3, 4, adj=a)"),
          ('simulator with a non-symmetric graph', "import torch; from nri_nb.sims import simulate_kuramoto; a = torch.zeros(2, 3, 3, dtype=torch.long); a[:, 0, 1] = 1; simulate_kuramoto(2, 3, 4, adj=a)"),
          ('simulator with a zero box', "from nri_nb.sims import simulate; simulate('charged', 2, 5, 4, box=0.)")]
    for what, code in py:
        yield 'silently wrong', f'Python: {what}', (lambda code=code: _py(r, code))

    yield 'silently wrong', 'Python: float64 input (ok: accepted, same result as float32)', (lambda: _py(r,
        "import torch; from nri_nb.model import build_nri; m = build_nri(4, 16, encoder='cnn', decoder='rnn', encoder_hidden=8, decoder_hidden=8).eval(); "
        "x = torch.randn(2, 5, 16, 4); torch.manual_seed(0); a = m(x, hard=True)['preds']; torch.manual_seed(0); b = m(x.double(), hard=True)['preds']; "
        "assert torch.allclose(a, b, atol=1e-5)", ok=True))

    # ---- raw tracebacks
    f = r.work / 'a_file'; f.write_text('x')
    trace = [('nri-train', ['--data-dir', r.data, '--out', f, *TINY], '--out is a file'),
             ('nri-train', ['--data-dir', r.data, '--out', f / 'run', *TINY], '--out under a file'),
             ('nri-generate', ['--out', f, *GEN], 'nri-generate --out is a file'),
             ('nri-generate', ['--out', r.work / 'big', '--n-train', '100000000', '--quiet'], 'a data set larger than the disk'),
             ('nri-train', ['--data-dir', r.data, '--out', r.work / 'dev1', *TINY, '--device', 'gpu'], 'unknown --device gpu'),
             ('nri-train', ['--data-dir', r.data, '--out', r.work / 'dev2', *TINY, '--device', 'cuda'], '--device cuda without a GPU'),
             ('nri-generate', ['--out', r.work / 'dev3', *GEN, '--device', 'cuda:7'], 'nri-generate --device cuda:7'),
             ('nri-evaluate', [r.run_dir, '--device', 'tpu'], 'nri-evaluate --device tpu'),
             ('nri-evaluate', [r.run_dir, '--sample', '100000'], 'nri-evaluate --sample out of range'),
             ('nri-evaluate', [r.run_dir, '--sample', '-1'], 'nri-evaluate --sample -1'),
             ('nri-evaluate', [r.run_dir, '--n-test', '0'], 'nri-evaluate --n-test 0'),
             ('nri-train', ['--out', r.work / 'never', '--resume'], '--resume on an empty folder'),
             ('nri-train', ['--data-dir', r.data, '--out', r.work / 'z', *TINY, '--encoder-hidden', '0'], 'zero-width encoder'),
             ('nri-train', ['--data-dir', r.data, '--out', r.work / 'z2', *TINY, '--prior', 'a,b'], '--prior not numbers'),
             ('nri-generate', ['--out', r.work / 'z3', *GEN, '--edge-probs', 'a,b'], '--edge-probs not numbers'),
             ('nri-generate', ['--out', r.work / 'z4', *GEN, '--chunk-size', '0'], '--chunk-size 0'),
             ('nri-reproduce', ['--columns', 'springs5', '--seeds', '1', '--out', f], 'nri-reproduce --out is a file'),
             ('nri-reproduce', ['--columns', 'springs5', '--seeds', '1', '--device', 'gpu', '--out', r.work / 'rp'], 'nri-reproduce --device gpu')]
    for cmd, args, what in trace:
        yield 'raw tracebacks', what, (lambda c=cmd, a=args: simple(c, *a, timeout=90)())

    for what, change in [('manifest a list', lambda m: [1, 2]), ('manifest without splits', lambda m: {k: v for k, v in m.items() if k != 'splits'}),
                         ('manifest with n_objects a string', lambda m: {**m, 'n_objects': 'five'}),
                         ('manifest with files a list', lambda m: {**m, 'splits': {**m['splits'], 'train': {**m['splits']['train'], 'files': []}}})]:
        def fm(change=change, what=what):
            d = r.work / ('m_' + what.replace(' ', '_')); shutil.copytree(r.data, d)
            m = json.loads((d / 'manifest.json').read_text()); (d / 'manifest.json').write_text(json.dumps(change(m)))
            return simple('nri-train', '--data-dir', d, '--out', r.work / ('mr_' + what.replace(' ', '_')), *TINY, protect=d)()
        yield 'raw tracebacks', what, fm

    for what, change in [('checkpoint config a list', "c['config'] = [1]"), ('checkpoint config missing encoder_hidden', "c['config'].pop('encoder_hidden')"),
                         ('checkpoint config with a mistyped width', "c['config']['encoder_hidden'] = 'wide'"),
                         ('checkpoint config with an unknown key', "c['config']['colour'] = 'blue'"),
                         ('checkpoint whose sizes do not match its config', "c['config']['encoder_hidden'] = 32"),
                         ('last.pt without its optimiser state (resume)', "c.pop('optimizer')")]:
        def fc(change=change, what=what):
            d = copy_run('c_' + what.replace(' ', '_').replace('(', '').replace(')', ''))
            name = 'last.pt' if 'resume' in what else 'best.pt'
            _py(r, f"import torch; c = torch.load({str(d / name)!r}, weights_only=True); {change}; torch.save(c, {str(d / name)!r})")
            if 'resume' in what: return simple('nri-train', '--out', d, '--resume', *TINY, timeout=90)()
            return simple('nri-evaluate', d / name, timeout=90)()
        yield 'raw tracebacks', what, fc

    def resume_extend():
        d = copy_run('extend')
        rc, out, err, _ = r.cmd('nri-train', '--out', d, '--resume', '--epochs', 4, '--quiet', timeout=120)
        m = json.loads((d / 'metrics.json').read_text())
        return rc, err, False, (rc == 0 and m.get('epochs_run') == 4)
    yield 'raw tracebacks', '--resume --epochs 4 without retyping the other flags (ok: extends the run)', resume_extend


def _py(r, code, ok=None):
    rc, out, err, _ = r.cmd('python', '-c', code)
    last = (err.strip().splitlines() or [''])[-1]
    clear = rc != 0 and last.startswith('ValueError')       # in Python a clear error is a ValueError with a message
    if ok: return rc, err if rc != 0 else '', False, rc == 0
    return (rc, '', False, None) if clear else (0 if rc == 0 else rc, err if rc != 0 else '', False, None)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--bin', default=str(Path(sys.executable).parent), help='folder of the nri-* commands and python to try')
    p.add_argument('--out', default=None, help='write the results here (JSON)')
    p.add_argument('--label', default='', help='a name for this installation in the results')
    a = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix='nri-misuse-'))
    r = Runner(a.bin, work)
    os.environ['PATH'] = f"{a.bin}:{os.environ['PATH']}"
    r.setup()
    rows = []
    for cls, name, fn in cases(r):
        t0 = time.time()
        rc, err, lost, ok = fn()
        outcome = classify(rc, err, lost, ok)
        last = (err.strip().splitlines() or [''])[-1][:200]
        rows.append(dict(cls=cls, case=name, outcome=outcome, exit=rc, message=last, seconds=round(time.time() - t0, 1)))
        print(f"{outcome:12s} {cls:15s} {name}  | {last[:110]}", flush=True)
    counts = {}
    for row in rows: counts.setdefault(row['cls'], {}).setdefault(row['outcome'], 0); counts[row['cls']][row['outcome']] += 1
    total = {}
    for row in rows: total[row['outcome']] = total.get(row['outcome'], 0) + 1
    res = dict(label=a.label, bin=a.bin, n_cases=len(rows), totals=total, by_class=counts, cases=rows)
    print(json.dumps(dict(totals=total, by_class=counts), indent=1))
    if a.out:
        Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(a.out).with_suffix('.tmp'); tmp.write_text(json.dumps(res, indent=1)); os.replace(tmp, a.out)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__': main()
