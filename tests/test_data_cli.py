"The `nri-generate` command and the data folder's failure modes: bad arguments, missing and corrupt files, the reference layout."
import json, os, shutil, subprocess, sys
from pathlib import Path

import numpy as np
import pytest
import torch

from nri_nb.data import (SPLITS, export_reference, generate_dataset, get_loaders, import_reference, load_split,
                         read_manifest, sha256_file, split_seeds)
from nri_nb.sims import simulate

SMALL = ['--n-train', '24', '--n-valid', '6', '--n-test', '6', '--quiet']


def nri_generate(*args, cwd=None):
    "Run the installed console script; returns the CompletedProcess."
    exe = Path(sys.executable).parent / 'nri-generate'
    cmd = [str(exe)] if exe.exists() else [sys.executable, '-c', 'from nri_nb.data import nri_generate; nri_generate()']
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope='module')
def springs_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp('data') / 'springs4'
    r = nri_generate('--sim', 'springs', '--n-objects', 4, *SMALL, '--out', d, '--seed', 7)
    assert r.returncode == 0, r.stderr
    return d


def test_cli_writes_a_complete_folder(springs_dir):
    m = json.loads((springs_dir / 'manifest.json').read_text())
    assert m['sim'] == 'springs' and m['n_objects'] == 4 and m['params']['seed'] == 7
    assert m['splits']['train']['files']['x']['shape'] == [24, 4, 49, 4]
    assert m['splits']['test']['files']['x']['shape'] == [6, 4, 99, 4]
    assert m['package_version']
    for split in SPLITS:
        for entry in m['splits'][split]['files'].values():
            assert sha256_file(springs_dir / entry['name']) == entry['sha256']
    assert not list(springs_dir.glob('*.tmp')) and not list(springs_dir.glob('.*'))   # no temporary files left


def test_cli_is_deterministic_and_a_second_run_is_a_no_op(springs_dir, tmp_path):
    before = {p.name: p.stat().st_mtime_ns for p in springs_dir.iterdir()}
    r = nri_generate('--sim', 'springs', '--n-objects', 4, *SMALL, '--out', springs_dir, '--seed', 7)
    assert r.returncode == 0, r.stderr
    assert {p.name: p.stat().st_mtime_ns for p in springs_dir.iterdir()} == before
    other = tmp_path / 'again'
    assert nri_generate('--sim', 'springs', '--n-objects', 4, *SMALL, '--out', other, '--seed', 7).returncode == 0
    for split in SPLITS:
        assert np.array_equal(np.load(springs_dir / f'x_{split}.npy'), np.load(other / f'x_{split}.npy'))


def test_cli_refuses_a_different_data_set_without_overwrite(springs_dir, tmp_path):
    d = tmp_path / 'copy'; shutil.copytree(springs_dir, d)
    r = nri_generate('--sim', 'springs', '--n-objects', 4, *SMALL, '--out', d, '--seed', 8)
    assert r.returncode != 0 and 'different data set' in r.stderr
    r = nri_generate('--sim', 'springs', '--n-objects', 4, *SMALL, '--out', d, '--seed', 8, '--overwrite')
    assert r.returncode == 0, r.stderr
    assert read_manifest(d)['params']['seed'] == 8


def test_splits_never_share_a_seed(springs_dir):
    m = read_manifest(springs_dir)
    assert len({m['splits'][s]['seed'] for s in SPLITS}) == 3
    seeds = [v for s in range(1000) for v in split_seeds(s).values()]
    assert len(set(seeds)) == len(seeds)
    x = {s: np.load(springs_dir / f'x_{s}.npy') for s in SPLITS}
    assert not np.allclose(x['train'][:6], x['valid'][:6])


@pytest.mark.parametrize('args, message', [
    (['--n-objects', '1'], 'n_objects must be an integer in [2, 1000]'),
    (['--n-train', '-5'], 'n_train must be an integer in [1, 100000000]'),
    (['--n-valid', '-1'], 'n_valid must be an integer in [0, 100000000]'),
    (['--sim', 'gravity'], 'unknown simulation'),
    (['--n-frames-test', '0'], 'n_frames_test'),
    (['--sim', 'charged', '--edge-probs', '0.5,0.5'], 'springs only'),
    (['--edge-probs', '0.5,0.6'], 'summing to 1'),
])
def test_cli_refuses_bad_arguments_before_simulating(tmp_path, args, message):
    out = tmp_path / 'never'
    r = nri_generate(*args, '--out', out, '--quiet')
    assert r.returncode != 0
    assert message in r.stderr, r.stderr
    assert 'Traceback' not in r.stderr
    assert not (out / 'manifest.json').exists()


def test_cli_bad_argument_type_is_an_argparse_error(tmp_path):
    r = nri_generate('--n-objects', 'five', '--out', tmp_path / 'x')
    assert r.returncode == 2 and 'invalid' in r.stderr


def test_missing_folder_names_the_command(tmp_path):
    with pytest.raises(FileNotFoundError, match='nri-generate --sim charged --n-objects 10 --out'):
        load_split(tmp_path / 'charged10')
    with pytest.raises(FileNotFoundError, match='nri-generate --sim springs --n-objects 5'):
        get_loaders(tmp_path / 'nothing_here')


def test_missing_manifest_and_missing_file(springs_dir, tmp_path):
    d = tmp_path / 'springs4'; shutil.copytree(springs_dir, d)
    (d / 'adj_valid.npy').unlink()
    with pytest.raises(FileNotFoundError, match=r'adj_valid\.npy is missing.*nri-generate --sim springs --n-objects 4'):
        load_split(d, 'valid')
    (d / 'manifest.json').unlink()
    with pytest.raises(FileNotFoundError, match='manifest.json is missing.*nri-generate --sim springs --n-objects 4'):
        load_split(d)


def test_corrupt_file_fails_its_checksum(springs_dir, tmp_path):
    d = tmp_path / 'c'; shutil.copytree(springs_dir, d)
    p = d / 'x_test.npy'
    raw = bytearray(p.read_bytes()); raw[-3] ^= 0xFF; p.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=r'x_test\.npy is corrupt'):
        load_split(d, 'test')
    load_split(d, 'test', verify=False)         # skipping the check is possible (and fast)


def test_truncated_file_and_wrong_shape_and_nan(springs_dir, tmp_path):
    d = tmp_path / 't'; shutil.copytree(springs_dir, d)
    p = d / 'x_valid.npy'
    p.write_bytes(p.read_bytes()[:200])
    with pytest.raises(ValueError, match=r'x_valid\.npy'):
        load_split(d, 'valid', verify=False)
    x = np.load(springs_dir / 'x_valid.npy')
    np.save(p, x[:, :, :10])
    with pytest.raises(ValueError, match=r'x_valid\.npy has shape'):
        load_split(d, 'valid', verify=False)
    x[0, 0, 0, 0] = np.nan; np.save(p, x)
    m = json.loads((d / 'manifest.json').read_text())
    m['splits']['valid']['files']['x']['sha256'] = sha256_file(p); (d / 'manifest.json').write_text(json.dumps(m))
    with pytest.raises(ValueError, match=r'x_valid\.npy contains NaN'):
        load_split(d, 'valid')


def test_corrupt_manifest(springs_dir, tmp_path):
    d = tmp_path / 'm'; shutil.copytree(springs_dir, d)
    (d / 'manifest.json').write_text('{not json')
    with pytest.raises(ValueError, match='manifest.json is not valid JSON'):
        load_split(d)


def test_loaders_shapes_and_normalisation(springs_dir):
    loaders = get_loaders(springs_dir, batch_size=10, seed=1)
    assert [len(loaders[s]) for s in SPLITS] == [3, 1, 1]
    xs, es = zip(*loaders['train'])
    x = torch.cat(xs)
    assert x.shape == (24, 4, 49, 4) and x.dtype == torch.float32 and torch.cat(es).shape == (24, 12)
    assert x[..., :2].min() == -1 and x[..., :2].max() == 1 and x[..., 2:].min() == -1 and x[..., 2:].max() == 1
    xt, et = next(iter(loaders['test']))
    assert xt.shape == (6, 4, 99, 4) and et.dtype == torch.int64


@pytest.mark.parametrize('sim', ['springs', 'charged', 'kuramoto'])
def test_reference_layout_round_trip_via_cli(tmp_path, sim):
    ours = tmp_path / f'{sim}3'
    r = nri_generate('--sim', sim, '--n-objects', 3, *SMALL, '--out', ours, '--reference-layout')
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in ours.glob(f'*_{sim}3.npy'))
    prefixes = ['edges', 'feat'] if sim == 'kuramoto' else ['edges', 'loc', 'vel']
    assert names == sorted(f'{p}_{s}_{sim}3.npy' for p in prefixes for s in SPLITS)
    if sim != 'kuramoto':
        loc = np.load(ours / f'loc_train_{sim}3.npy')
        assert loc.shape == (24, 49, 2, 3)                                   # [S, T, 2, N]
        assert np.array_equal(loc.transpose(0, 3, 1, 2), np.load(ours / 'x_train.npy')[..., :2])
    ref = tmp_path / 'ref'; ref.mkdir()
    for p in ours.glob(f'*_{sim}3.npy'): shutil.copy(p, ref / p.name)
    back = tmp_path / 'back'
    r = nri_generate('--from-reference', ref, '--sim', sim, '--n-objects', 3, '--out', back)
    assert r.returncode == 0, r.stderr
    for split in SPLITS:
        a, b = load_split(ours, split), load_split(back, split)
        assert np.array_equal(np.asarray(a.raw), np.asarray(b.raw))
        assert torch.equal(a.edges, b.edges)
    with pytest.raises(FileNotFoundError, match='reference code'):
        load_split(ref)                                                      # points at the import command


def test_import_reference_checks_shapes(tmp_path):
    d = generate_dataset(tmp_path / 'springs3', n_objects=3, n_train=8, n_valid=4, n_test=4, progress=False)
    ref = tmp_path / 'ref'; export_reference(d, ref)
    loc = np.load(ref / 'loc_valid_springs3.npy'); np.save(ref / 'loc_valid_springs3.npy', loc[..., :2])
    with pytest.raises(ValueError, match=r'loc_valid_springs3\.npy has shape'):
        import_reference(ref, tmp_path / 'back', 'springs', 3)
    with pytest.raises(FileNotFoundError, match='missing'):
        import_reference(ref, tmp_path / 'back', 'charged', 3)


def test_three_edge_types_and_non_interacting(tmp_path):
    r = nri_generate('--n-objects', 4, *SMALL, '--out', tmp_path / 'three', '--edge-values', '0,0.5,1')
    assert r.returncode == 0, r.stderr
    e = load_split(tmp_path / 'three').edges
    assert set(e.unique().tolist()) == {0, 1, 2}
    r = nri_generate('--n-objects', 4, *SMALL, '--out', tmp_path / 'probs', '--edge-probs', '0.333,0.333,0.334')
    assert r.returncode == 0, r.stderr
    assert read_manifest(tmp_path / 'probs')['params']['sim_kwargs']['edge_values'] == [0., 0.5, 1.]   # appendix A.2
    r = nri_generate('--n-objects', 4, *SMALL, '--out', tmp_path / 'none', '--edge-probs', '1,0')
    assert r.returncode == 0, r.stderr
    assert load_split(tmp_path / 'none', 'test').edges.sum() == 0


def test_simulated_data_matches_the_files(springs_dir):
    m = read_manifest(springs_dir)
    x, adj = simulate('springs', 6, 4, 99, seed=m['splits']['test']['seed'])
    assert np.array_equal(x.numpy(), np.load(springs_dir / 'x_test.npy'))
    assert np.array_equal(adj.numpy(), np.load(springs_dir / 'adj_test.npy'))
