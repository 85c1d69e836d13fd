"Fixtures shared by the misuse tests: a tiny springs-5 data set and a run trained on it, made once per test module."
import pytest

from misuse import TINY, make_data, run


@pytest.fixture(scope='module')
def data_dir(tmp_path_factory):
    return make_data(tmp_path_factory.mktemp('data') / 'springs5')


@pytest.fixture(scope='module')
def trained(data_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp('runs') / 'run'
    p = run('nri-train', '--data-dir', data_dir, '--out', out, '--epochs', 2, *TINY)
    assert p.returncode == 0, p.stderr
    return out
