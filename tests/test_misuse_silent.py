"Settings and inputs that would run on with a wrong or meaningless result: each is an error before any work starts."
import json, math
from pathlib import Path

import numpy as np
import pytest
import torch

from misuse import SIZES, TINY, clear_error, make_data, run, snapshot


@pytest.mark.parametrize('args, words', [
    (['--lr', '-0.001'], ['lr (--lr) must be a number in (0, 10]']),
    (['--gamma', '-0.5'], ['gamma (--gamma) must be a number in (0, 1]']),
    (['--ema', '1'], ['ema (--ema) must be a number in (0, 1)']),
    (['--encoder-dropout', '1.5'], ['encoder_dropout']),
    (['--tau', 'nan'], ['tau (--tau)']),
    (['--prior', '0.5,0.6'], ['prior (--prior) must sum to 1']),
    (['--prior', '0.2,0.3,0.5'], ['one probability per edge type']),
    (['--decoder', 'sim', '--sim', 'kuramoto'], ["decoder (--decoder) 'sim'"]),
    (['--prediction-steps', '12'], ['prediction_steps (--prediction-steps) must be below n_timesteps=12']),
])
def test_meaningless_settings(data_dir, tmp_path, args, words):
    out = tmp_path / 'run'
    p = run('nri-train', '--data-dir', data_dir, '--out', out, *TINY, *args)
    clear_error(p, *words)
    assert not out.exists()                                                  # refused before anything was made


def test_more_simulations_than_the_folder_holds(data_dir, tmp_path):
    out = tmp_path / 'run'
    p = run('nri-train', '--data-dir', data_dir, '--out', out, *TINY, '--n-train', '500')
    clear_error(p, 'n_train=500', 'holds 96')
    assert not (out / 'last.pt').exists()


def test_test_horizon_longer_than_the_test_trajectories(data_dir, tmp_path):
    out = tmp_path / 'run'
    p = run('nri-train', '--data-dir', data_dir, '--out', out, *TINY, '--test-steps', '30')
    clear_error(p, 'test trajectories', 'have 20 time steps', '12 + 30')
    assert not (out / 'last.pt').exists()                                    # before training, not after it


@pytest.mark.parametrize('args, words', [
    (['--noise-std', '-0.1'], ['noise_std must be in [0, 1e6]']),
    (['--edge-probs', '0.5,0.6'], ['edge_probs must be a non-negative vector summing to 1']),
    (['--edge-values', '0,-1'], ['edge_values[1] must be a coupling in [0, 1e6]']),
    (['--edge-probs', 'half,half'], ['--edge-probs takes comma-separated numbers']),
    (['--sim', 'kuramoto', '--edge-probs', '0.5,0.5'], ['apply to --sim springs only']),
    (['--chunk-size', '0'], ['chunk_size must be an integer in [1, 100000000]']),
])
def test_meaningless_simulations(tmp_path, args, words):
    out = tmp_path / 'data'
    clear_error(run('nri-generate', '--out', out, '--n-train', 10, '--n-valid', 2, '--n-test', 2, '--quiet', *args), *words)
    assert not out.exists()


def test_nan_in_the_data_is_caught_where_it_enters(tmp_path):
    d = make_data(tmp_path / 'springs5')
    x = np.load(d / 'x_train.npy'); x[5, 1, 3, 0] = np.nan; np.save(d / 'x_train.npy', x)
    m = json.loads((d / 'manifest.json').read_text())
    from nri_nb.data import sha256_file
    m['splits']['train']['files']['x']['sha256'] = sha256_file(d / 'x_train.npy'); (d / 'manifest.json').write_text(json.dumps(m))
    clear_error(run('nri-train', '--data-dir', d, '--out', tmp_path / 'run', *TINY), 'x_train.npy contains NaN')


def test_nan_inputs_and_scores_in_python():
    from nri_nb.model import build_nri
    from nri_nb.metrics import EdgeMetrics
    model = build_nri(4, 12, encoder_hidden=8, decoder_hidden=8).train()
    x = torch.randn(4, 5, 12, 4)
    stats = [b.clone() for n, b in model.named_buffers() if 'running_mean' in n]
    with pytest.raises(ValueError, match='NaN or infinite'): model(x.index_fill(0, torch.tensor([1]), math.nan))
    assert all(torch.equal(a, b) for a, b in zip(stats, [b for n, b in model.named_buffers() if 'running_mean' in n]))
    assert torch.isfinite(model(x)['preds']).all()
    scores = torch.full((2, 20, 2), math.nan)
    with pytest.raises(ValueError, match='NaN'): EdgeMetrics().update(scores, torch.zeros(2, 20, dtype=torch.long))


def test_float64_is_accepted_everywhere():
    from nri_nb.model import build_nri
    for enc in ('mlp', 'cnn'):
        for dec in ('mlp', 'rnn'):
            model = build_nri(4, 16, encoder=enc, decoder=dec, encoder_hidden=8, decoder_hidden=8).eval()
            x = torch.randn(2, 5, 16, 4)
            torch.manual_seed(0); a = model(x, hard=True)['preds']
            torch.manual_seed(0); b = model(x.double(), hard=True)['preds']
            assert b.dtype == torch.float32 and torch.allclose(a, b, atol=1e-5)


def test_evaluation_is_seeded(data_dir, tmp_path):
    out = tmp_path / 'run'
    assert run('nri-train', '--data-dir', data_dir, '--out', out, '--epochs', 1, *TINY).returncode == 0
    a = run('nri-evaluate', out, '--plot', tmp_path / 'a.png')
    b = run('nri-evaluate', out, '--plot', tmp_path / 'a.png')
    assert a.returncode == 0 and a.stdout == b.stdout
    c = run('nri-evaluate', out, '--plot', tmp_path / 'a.png', '--seed', 1)
    assert c.returncode == 0
