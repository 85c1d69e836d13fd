"nri-train / nri-evaluate end to end on a tiny data set: resume after a kill, bad input, NaN losses."
import json, os, signal, subprocess, sys, time
from pathlib import Path

import pytest
import torch

from nri_nb.data import generate_dataset
from nri_nb.train import make_config, train, load_checkpoint, model_from_checkpoint
import nri_nb.model

BIN = Path(sys.executable).parent
TINY = ['--n-train', '96', '--n-valid', '16', '--n-test', '16', '--n-timesteps', '12', '--test-steps', '6', '--prediction-steps', '3', '--encoder-hidden', '16',
        '--decoder-hidden', '16', '--batch-size', '16', '--seed', '3', '--quiet', '--num-threads', '1']


@pytest.fixture(scope='module')
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp('data') / 'springs5'
    generate_dataset(d, 'springs', 5, n_train=96, n_valid=16, n_test=16, n_frames_train=12, n_frames_test=20, seed=0, progress=False)
    return d


def _run(*args, check=True, **kw):
    p = subprocess.run([str(BIN / args[0]), *map(str, args[1:])], capture_output=True, text=True, **kw)
    if check and p.returncode != 0: raise AssertionError(f'{args} failed:\n{p.stdout}\n{p.stderr}')
    return p


def _rows(out):
    rows = [json.loads(l) for l in (out / 'metrics.jsonl').read_text().splitlines()]
    return [{k: v for k, v in r.items() if 'seconds' not in k} for r in rows]


def test_resume_after_kill_matches_uninterrupted(data_dir, tmp_path):
    epochs = 8
    full, killed = tmp_path / 'full', tmp_path / 'killed'
    _run('nri-train', '--data-dir', data_dir, '--out', full, '--epochs', epochs, *TINY)
    # the same run, killed with SIGKILL as soon as its second epoch is checkpointed, then resumed
    p = subprocess.Popen([str(BIN / 'nri-train'), '--data-dir', str(data_dir), '--out', str(killed), '--epochs', str(epochs), *TINY],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.time()
    while time.time() - t0 < 120:
        if (killed / 'last.pt').exists():
            try:
                if load_checkpoint(killed / 'last.pt')['epoch'] >= 1: break
            except ValueError: pass                       # caught mid-rename: impossible with atomic writes, but don't fail here
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL); p.wait()
    stopped = load_checkpoint(killed / 'last.pt')['epoch']
    assert stopped < epochs - 1, 'the run finished before it could be killed; make it longer'
    assert not (killed / 'metrics.json').exists()
    _run('nri-train', '--data-dir', data_dir, '--out', killed, '--epochs', epochs, '--resume', *TINY)
    a, b = json.loads((full / 'metrics.json').read_text()), json.loads((killed / 'metrics.json').read_text())
    for k in ('edge_accuracy', 'auroc', 'mse_per_step', 'best_epoch', 'epochs_run'): assert a[k] == b[k], k
    assert _rows(full) == _rows(killed)
    # and the evaluation command reads the checkpoint back
    ev = _run('nri-evaluate', full, '--device', 'cpu')
    assert 'Table 1' in ev.stdout and (full / 'predictions.png').exists()


def test_resume_refuses_other_settings(data_dir, tmp_path):
    _run('nri-train', '--data-dir', data_dir, '--out', tmp_path, '--epochs', 1, *TINY)
    p = _run('nri-train', '--data-dir', data_dir, '--out', tmp_path, '--epochs', 1, '--resume', *TINY[:-2], '--lr', '0.1', check=False)
    assert p.returncode != 0 and 'differ' in p.stderr and 'Traceback' not in p.stderr


def test_missing_and_corrupt_checkpoints(tmp_path):
    p = _run('nri-evaluate', tmp_path / 'nothing.pt', check=False)
    assert p.returncode != 0 and 'no checkpoint' in p.stderr and 'Traceback' not in p.stderr
    bad = tmp_path / 'bad.pt'; bad.write_bytes(b'not a checkpoint at all')
    p = _run('nri-evaluate', bad, check=False)
    assert p.returncode != 0 and 'corrupt' in p.stderr
    torch.save({'weights': torch.zeros(2)}, tmp_path / 'foreign.pt')
    with pytest.raises(ValueError, match='not an nri_nb checkpoint'): load_checkpoint(tmp_path / 'foreign.pt')
    # a checkpoint that would need unpickling arbitrary objects is refused, not executed
    torch.save({'format': 'nri_nb-checkpoint-1', 'config': {}, 'model': {}, 'epoch': 0, 'payload': object()}, tmp_path / 'evil.pt')
    with pytest.raises(ValueError, match='corrupt or not readable safely'): load_checkpoint(tmp_path / 'evil.pt')


def test_bad_settings_and_data(data_dir, tmp_path):
    p = _run('nri-train', '--data-dir', data_dir, '--out', tmp_path, '--sim', 'gravity', check=False)
    assert p.returncode != 0 and "sim (--sim) must be" in p.stderr
    p = _run('nri-train', '--data-dir', data_dir, '--out', tmp_path, '--n-objects', '3', *TINY, check=False)
    assert p.returncode != 0 and 'holds springs with 5 objects' in p.stderr
    p = _run('nri-train', '--data-dir', data_dir, '--out', tmp_path, '--n-timesteps', '30', *TINY[:6], check=False)
    assert p.returncode != 0 and 'time steps' in p.stderr


def test_nan_loss_stops_with_epoch_named(data_dir, tmp_path, monkeypatch):
    cfg = make_config('quick', data_dir=str(data_dir), n_train=96, n_valid=16, n_test=16, n_timesteps=12, test_steps=6, prediction_steps=3, encoder_hidden=16,
                      decoder_hidden=16, batch_size=16, epochs=4, seed=0)
    real, calls = nri_nb.model.nll_gaussian, []
    def poisoned(preds, target, variance):
        calls.append(1)
        out = real(preds, target, variance)
        return out * float('nan') if len(calls) > 6 else out     # epoch 1 has 6 batches; epoch 2 goes NaN
    monkeypatch.setattr(nri_nb.model, 'nll_gaussian', poisoned)
    with pytest.raises(FloatingPointError, match='epoch 2, batch 1'):
        train(cfg, tmp_path, progress=False, verbose=False)
    last = load_checkpoint(tmp_path / 'last.pt')
    assert last['epoch'] == 0                                   # the last good epoch, intact
    model, _ = model_from_checkpoint(tmp_path / 'best.pt')
    assert all(torch.isfinite(p).all() for p in model.parameters())


def test_every_setting_has_a_flag():
    "Every TrainConfig field can be set from the command line (hyphenated)."
    from dataclasses import fields
    from nri_nb.train import TrainConfig
    help_text = _run('nri-train', '--help').stdout
    missing = [f.name for f in fields(TrainConfig) if f'--{f.name.replace("_", "-")} ' not in help_text]
    assert not missing, f'no nri-train flag for {missing}'


def test_ema_flag_turns_the_presets_average_off(data_dir, tmp_path):
    "Springs-5's quick preset averages the weights; `--ema off` trains without, `--ema 0.9` with another decay, and a word is refused."
    cfg = lambda out: load_checkpoint(out / 'last.pt')['config']
    _run('nri-train', '--data-dir', data_dir, '--out', tmp_path / 'preset', '--epochs', 1, *TINY)
    _run('nri-train', '--data-dir', data_dir, '--out', tmp_path / 'off', '--epochs', 1, '--ema', 'off', *TINY)
    _run('nri-train', '--data-dir', data_dir, '--out', tmp_path / 'other', '--epochs', 1, '--ema', '0.9', *TINY)
    assert (cfg(tmp_path / 'preset')['ema'], cfg(tmp_path / 'off')['ema'], cfg(tmp_path / 'other')['ema']) == (0.99, None, 0.9)
    assert 'ema' in load_checkpoint(tmp_path / 'preset' / 'last.pt') and 'ema' not in load_checkpoint(tmp_path / 'off' / 'last.pt')
    p = _run('nri-train', '--data-dir', data_dir, '--out', tmp_path / 'bad', '--ema', 'slow', *TINY, check=False)
    assert p.returncode != 0 and "ema (--ema) must be a number in (0, 1) or off; got 'slow'" in p.stderr and 'Traceback' not in p.stderr
    assert not (tmp_path / 'bad').exists()
    # a resumed run keeps its own setting: turning the average off on resume is refused
    p = _run('nri-train', '--out', tmp_path / 'preset', '--resume', '--epochs', 2, '--ema', 'off', '--quiet', check=False)
    assert p.returncode != 0 and 'ema' in p.stderr


def test_init_from_starts_a_run_from_trained_weights(data_dir, tmp_path):
    "`--init-from` takes a run's folder (10 objects from a 5-object run); weights of another width, or no checkpoint, are refused before training."
    _run('nri-train', '--data-dir', data_dir, '--out', tmp_path / 'five', '--epochs', 1, *TINY)
    d10 = tmp_path / 'springs10'
    generate_dataset(d10, 'springs', 10, n_train=96, n_valid=16, n_test=16, n_frames_train=12, n_frames_test=20, seed=0, progress=False)
    p = _run('nri-train', '--data-dir', d10, '--n-objects', 10, '--out', tmp_path / 'ten', '--epochs', 1, '--init-from', tmp_path / 'five', *TINY)
    assert 'starting from the weights of' in p.stdout
    assert load_checkpoint(tmp_path / 'ten' / 'last.pt')['config']['init_from'] == str(tmp_path / 'five')
    p = _run('nri-train', '--data-dir', data_dir, '--out', tmp_path / 'wide', '--init-from', tmp_path / 'five', *TINY,
             '--decoder-hidden', '24', check=False)         # the last --decoder-hidden counts
    assert p.returncode != 0 and 'decoder_hidden' in p.stderr and 'Traceback' not in p.stderr
    assert not list((tmp_path / 'wide').glob('*.pt'))
    p = _run('nri-train', '--data-dir', data_dir, '--out', tmp_path / 'none', '--init-from', tmp_path / 'missing', *TINY, check=False)
    assert p.returncode != 0 and '--init-from' in p.stderr and 'Traceback' not in p.stderr
