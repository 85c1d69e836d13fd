"nri-reproduce end to end on tiny runs: bad input fails before any work, a killed reproduction resumes, finished runs are reused."
import json, os, signal, subprocess, sys, time
from pathlib import Path

import pytest

from nri_nb.train import load_checkpoint

BIN = Path(sys.executable).parent
TINY = dict(n_train=96, n_valid=32, n_test=32, epochs=6, encoder_hidden=8, decoder_hidden=8, n_timesteps=14, test_steps=4,
            prediction_steps=3, decode_steps=6, batch_size=16, max_minutes=None, num_threads=1)
SCRIPT = "import sys, json; from nri_nb.experiments import reproduce_table1; reproduce_table1(sys.argv[1], 'springs5,kuramoto5', 1, overrides=json.loads(sys.argv[2]), verbose=False)"


def _cli(*args, env=None):
    return subprocess.run([str(BIN / 'nri-reproduce'), *map(str, args)], capture_output=True, text=True, env=env)


@pytest.mark.parametrize('args, message', [
    (['--columns', 'springs5,gravity5'], 'unknown column'),
    (['--budget', 'fast'], 'unknown budget'),
    (['--seeds', '0'], 'seeds must be an integer >= 1'),
    (['--table', '7'], '--table 7 is not available'),
    (['--table', '2', '--columns', 'springs10'], 'Table 2 has the columns springs5,charged5,kuramoto5'),
    (['--table', '2', '--budget', 'fast'], 'unknown budget'),
])
def test_bad_input_fails_before_any_work(tmp_path, args, message):
    p = _cli('--out', tmp_path / 'out', '--quiet', *args)
    assert p.returncode != 0 and message in p.stderr, p.stderr
    assert not (tmp_path / 'out').exists()


def test_killed_reproduction_resumes(tmp_path):
    out = tmp_path / 'out'
    p = subprocess.Popen([sys.executable, '-c', SCRIPT, str(out), json.dumps(TINY)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.time()
    while time.time() - t0 < 300:
        lasts = list(out.glob('springs5/seed*/last.pt'))
        if lasts:
            try:
                if load_checkpoint(lasts[0])['epoch'] >= 1: break
            except ValueError: pass
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL); p.wait()
    run = lasts[0].parent
    stopped = load_checkpoint(run / 'last.pt')['epoch']
    assert stopped < TINY['epochs'] - 1 and not (run / 'metrics.json').exists(), 'killed too late; make the runs longer'
    plan = json.loads((out / 'plan.json').read_text())
    subprocess.run([sys.executable, '-c', SCRIPT, str(out), json.dumps(TINY)], check=True, capture_output=True)
    rows = [json.loads(l) for l in (run / 'metrics.jsonl').read_text().splitlines()]
    assert [r['epoch'] for r in rows] == list(range(TINY['epochs']))
    assert json.loads((out / 'plan.json').read_text()) == plan                     # the same seeds, not new ones
    table = json.loads((out / 'table1.json').read_text())
    assert [r['n_runs'] for r in table['rows'].values()] == [1, 1]
    assert (out / 'table1.md').read_text().startswith('Table 1')
    import matplotlib; matplotlib.use('Agg')
    from nri_nb.experiments import plot_table1_curves, non_interacting_rate
    plot_table1_curves(out, out / 'curves.png')
    assert (out / 'curves.png').stat().st_size > 10_000
    r = non_interacting_rate(run, n_sims=10)
    assert r['n_edges'] == 200 and 0 <= r['no_interaction'] <= 1
    # the command line on that folder, with the quick preset's settings: other settings, so an error before training
    p = _cli('--out', out, '--columns', 'springs5', '--seeds', '1', '--quiet')
    assert p.returncode != 0 and 'other settings' in p.stderr, p.stderr


def test_smoke_command_prints_the_table(tmp_path):
    env = {**os.environ, 'IN_TEST': '1'}
    p = _cli('--columns', 'charged5', '--seeds', '2', '--out', tmp_path / 'smoke', '--quiet', env=env)
    assert p.returncode == 0, p.stderr
    assert '| charged5 |' in p.stdout and '82.1 ± 0.6' in p.stdout
    s = json.loads((tmp_path / 'smoke' / 'table1.json').read_text())['rows']['charged5']
    assert s['n_runs'] == 2 and len(set(s['seeds'])) == 2 and s['se'] is not None
