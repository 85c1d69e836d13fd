"Nothing the user has is lost: runs, data folders and user files under a second run, a concurrent run, an overwrite."
import json, os, subprocess, time
from pathlib import Path

import numpy as np
import pytest

from misuse import BIN, SIZES, TINY, clear_error, make_data, run, snapshot


def test_second_run_into_a_run_folder_is_refused(data_dir, trained):
    before = snapshot(trained, data_dir)
    p = run('nri-train', '--data-dir', data_dir, '--out', trained, '--epochs', 1, *TINY)
    clear_error(p, 'already holds a run', '--resume', '--overwrite')
    assert snapshot(trained, data_dir) == before


def test_overwrite_replaces_the_run_and_nothing_else(data_dir, trained, tmp_path):
    out = tmp_path / 'run'
    assert run('nri-train', '--data-dir', data_dir, '--out', out, '--epochs', 2, *TINY).returncode == 0
    (out / 'my_notes.txt').write_text('keep me')
    old = json.loads((out / 'metrics.json').read_text())
    p = run('nri-train', '--data-dir', data_dir, '--out', out, '--epochs', 1, '--overwrite', *TINY)
    assert p.returncode == 0, p.stderr
    assert json.loads((out / 'metrics.json').read_text())['epochs_run'] == 1 != old['epochs_run']
    assert (out / 'my_notes.txt').read_text() == 'keep me'
    clear_error(run('nri-train', '--data-dir', data_dir, '--out', out, '--resume', '--overwrite', *TINY), 'exclude each other')


def test_two_runs_on_one_folder_at_once(data_dir, tmp_path):
    out = tmp_path / 'shared'
    first = subprocess.Popen([str(BIN / 'nri-train'), '--data-dir', str(data_dir), '--out', str(out), '--epochs', '200', *TINY],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t0 = time.time()
    while not (out / '.nri_nb.lock').exists() and time.time() - t0 < 60: time.sleep(0.05)
    second = run('nri-train', '--data-dir', data_dir, '--out', out, '--epochs', 1, *TINY)
    line = clear_error(second, 'is in use by training run pid', str(first.pid))
    _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert json.loads((out / 'metrics.json').read_text())['epochs_run'] == 200         # the first run's results, whole
    assert not (out / '.nri_nb.lock').exists()


def test_generate_refuses_a_folder_of_user_files(tmp_path):
    d = tmp_path / 'mine'; d.mkdir()
    np.save(d / 'x_train.npy', np.arange(5.)); (d / 'readme.txt').write_text('my data')
    before = snapshot(d)
    clear_error(run('nri-generate', '--out', d, '--n-train', 20, '--n-valid', 5, '--n-test', 5, '--quiet'),
                'no nri_nb manifest describes (x_train.npy)', '--overwrite')
    assert snapshot(d) == before
    assert run('nri-generate', '--out', d, '--n-train', 20, '--n-valid', 5, '--n-test', 5, '--quiet', '--overwrite').returncode == 0
    assert (d / 'readme.txt').read_text() == 'my data'                                # never deleted, even with --overwrite


def test_from_reference_refuses_another_data_set(tmp_path, data_dir):
    ref = tmp_path / 'ref'
    assert run('nri-generate', '--sim', 'charged', '--out', ref, '--n-train', 20, '--n-valid', 5, '--n-test', 5, '--quiet',
               '--reference-layout').returncode == 0
    target = tmp_path / 'springs'
    make_data(target)
    before = snapshot(target)
    clear_error(run('nri-generate', '--from-reference', ref, '--sim', 'charged', '--out', target), 'already holds a different data set')
    assert snapshot(target) == before
    clear_error(run('nri-generate', '--from-reference', ref, '--sim', 'charged', '--out', ref), 'both')


def test_evaluate_from_another_folder_uses_the_run_data(trained, data_dir, tmp_path):
    elsewhere = tmp_path / 'elsewhere'; elsewhere.mkdir()
    p = run('nri-evaluate', trained, '--plot', tmp_path / 'fig.png', cwd=elsewhere)
    assert p.returncode == 0, p.stderr
    assert list(elsewhere.iterdir()) == []                                             # nothing generated here
    assert run('nri-evaluate', trained, '--plot', tmp_path / 'fig.png', cwd=elsewhere).stdout == p.stdout   # seeded: the same numbers


def test_evaluate_with_the_data_gone_stops(data_dir, tmp_path):
    d = tmp_path / 'springs5'
    make_data(d)
    out = tmp_path / 'run'
    assert run('nri-train', '--data-dir', d, '--out', out, '--epochs', 1, *TINY).returncode == 0
    moved = tmp_path / 'moved'; d.rename(moved)
    before = snapshot(tmp_path)
    clear_error(run('nri-evaluate', out, cwd=tmp_path), 'is not at', '--data-dir')
    assert snapshot(tmp_path) == before
    assert run('nri-evaluate', out, '--data-dir', moved, '--plot', tmp_path / 'f.png').returncode == 0
