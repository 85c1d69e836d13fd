"Operating-system errors, damaged manifests and checkpoints, out-of-range indices: one clear line and a non-zero exit, never a traceback."
import json, os
from pathlib import Path

import pytest
import torch

from misuse import SIZES, TINY, clear_error, make_data, run, snapshot


def test_output_path_is_a_file(data_dir, tmp_path):
    f = tmp_path / 'a_file'; f.write_text('x')
    clear_error(run('nri-train', '--data-dir', data_dir, '--out', f, *TINY), str(f), 'Not a directory')
    clear_error(run('nri-train', '--data-dir', data_dir, '--out', f / 'run', *TINY), str(f), 'a file is where a folder should be')
    clear_error(run('nri-generate', '--out', f, '--n-train', 5, '--quiet'), str(f), 'Not a directory')
    assert f.read_text() == 'x'


@pytest.mark.skipif(os.geteuid() == 0, reason='root can write anywhere')
def test_output_folder_not_writable(data_dir, tmp_path):
    ro = tmp_path / 'ro'; ro.mkdir(); ro.chmod(0o555)
    try: clear_error(run('nri-train', '--data-dir', data_dir, '--out', ro / 'run', *TINY), str(ro), 'ermission')
    finally: ro.chmod(0o755)


def test_full_disk_is_said_before_simulating(tmp_path):
    line = clear_error(run('nri-generate', '--out', tmp_path / 'big', '--n-train', 100_000_000, '--quiet'), 'need', 'free')
    assert 'GiB' in line or 'MiB' in line
    assert not (tmp_path / 'big').exists()


@pytest.mark.parametrize('device, words', [('gpu', ["unknown device 'gpu'"]), ('cuda:99', ['cuda']), ('tpu', ['unknown device'])])
def test_bad_devices(data_dir, tmp_path, device, words):
    if device == 'cuda:99' and torch.cuda.device_count() > 99: pytest.skip('a machine with 100 GPUs')
    clear_error(run('nri-train', '--data-dir', data_dir, '--out', tmp_path / 'r', *TINY, '--device', device), *words)
    clear_error(run('nri-generate', '--out', tmp_path / 'd', '--n-train', 5, '--quiet', '--device', device), *words)
    assert not (tmp_path / 'r').exists() and not (tmp_path / 'd').exists()


@pytest.mark.skipif(torch.cuda.is_available(), reason='a GPU is here')
def test_cuda_without_a_gpu(data_dir, tmp_path, trained):
    clear_error(run('nri-train', '--data-dir', data_dir, '--out', tmp_path / 'r', *TINY, '--device', 'cuda'), 'no CUDA GPU')
    clear_error(run('nri-evaluate', trained, '--device', 'cuda'), 'no CUDA GPU')


@pytest.mark.parametrize('manifest, words', [
    ([1, 2, 3], ['a JSON list instead of an object']),
    ({'sim': 'springs'}, ['missing key(s)']),
    ('TAMPER_N', ['n_objects is']),
    ('TAMPER_FILES', ['must name x (and adj']),
])
def test_structurally_wrong_manifests(tmp_path, manifest, words):
    d = make_data(tmp_path / 'springs5')
    m = json.loads((d / 'manifest.json').read_text())
    if manifest == 'TAMPER_N': manifest = {**m, 'n_objects': 'five'}
    if manifest == 'TAMPER_FILES': manifest = {**m, 'splits': {**m['splits'], 'train': {**m['splits']['train'], 'files': []}}}
    (d / 'manifest.json').write_text(json.dumps(manifest))
    before = snapshot(d)
    clear_error(run('nri-train', '--data-dir', d, '--out', tmp_path / 'r', *TINY), 'not a manifest nri_nb can read', *words)
    assert snapshot(d) == before


def _tampered(src, dst, change):
    ck = torch.load(src, weights_only=True)
    change(ck)
    torch.save(ck, dst)
    return dst


@pytest.mark.parametrize('change, words', [
    (lambda c: c.update(config=[1, 2]), ['config is a list']),
    (lambda c: c['config'].pop('encoder_hidden'), ["lacks ['encoder_hidden']"]),
    (lambda c: c['config'].update(encoder_hidden='wide'), ['encoder_hidden (--encoder-hidden) must be an integer']),
    (lambda c: c['config'].update(colour='blue'), ["unknown setting(s) ['colour']"]),
    (lambda c: c['config'].update(encoder_hidden=32), ['weights do not fit the model']),
    (lambda c: c.update(model=[0]), ['not a state dict']),
])
def test_damaged_checkpoints(trained, tmp_path, change, words):
    bad = _tampered(trained / 'best.pt', tmp_path / 'bad.pt', change)
    clear_error(run('nri-evaluate', bad), *words)


def test_resume_from_a_damaged_last_checkpoint(trained, tmp_path, data_dir):
    import shutil
    run_dir = tmp_path / 'run'; shutil.copytree(trained, run_dir)
    _tampered(trained / 'last.pt', run_dir / 'last.pt', lambda c: c.pop('optimizer'))
    clear_error(run('nri-train', '--out', run_dir, '--resume'), 'cannot be resumed from', "'optimizer'")


def test_out_of_range_indices_and_sizes(trained):
    clear_error(run('nri-evaluate', trained, '--sample', 10**6), '--sample must be in [0, 15]')
    clear_error(run('nri-evaluate', trained, '--sample', -1), '--sample must be in')
    clear_error(run('nri-evaluate', trained, '--n-test', 0), 'n_test (--n-test) must be an integer in [1,')
    clear_error(run('nri-evaluate', trained, '--n-test', 10**6), 'n_test=1000000')


def test_empty_batches_and_zero_sized_layers():
    from nri_nb.model import build_nri
    from nri_nb.gnn import MLP
    with pytest.raises(ValueError, match='empty'): build_nri(4, 12, encoder_hidden=8, decoder_hidden=8)(torch.randn(0, 5, 12, 4))
    with pytest.raises(ValueError, match='n_hid must be an integer >= 1'): MLP(4, 0, 4)


def test_resume_extends_a_run_with_its_own_settings(data_dir, tmp_path):
    out = tmp_path / 'run'
    assert run('nri-train', '--data-dir', data_dir, '--out', out, '--epochs', 2, *TINY).returncode == 0
    p = run('nri-train', '--out', out, '--resume', '--epochs', 4, '--quiet', cwd=tmp_path)   # no other flag retyped
    assert p.returncode == 0, p.stderr
    m = json.loads((out / 'metrics.json').read_text())
    assert m['epochs_run'] == 4 and m['preset_config']['encoder_hidden'] == 16
    clear_error(run('nri-train', '--out', out, '--resume', '--lr', '0.1'), 'differ', 'lr', 'only epochs, max_minutes')
    clear_error(run('nri-train', '--out', tmp_path / 'never', '--resume'), 'no checkpoint at')
