"The paper map (notebook 12): the shipped index is what the notebooks say now, and the guard catches a missing entry."
import json
from pathlib import Path

import pytest

from misuse import run
from nri_nb.papermap import INDEX_FILE, paper_index, read_index, check_paper_map, load_modules, paper_items

ROOT = Path(__file__).resolve().parent.parent


def test_index_is_fresh():
    fresh, shipped = paper_index(ROOT/'nbs'), read_index()
    stale = sorted(k for k in set(fresh) | set(shipped) if fresh.get(k) != shipped.get(k))
    assert not stale, f"nri_nb/paper_index.json is stale for {stale[:5]}: run  nri-paper-map --write"


def test_no_gaps():
    rows = check_paper_map()
    assert [r['item'] for r in rows] == paper_items()
    assert all(r['code'] for r in rows if r['item'].startswith('eq. '))


@pytest.mark.parametrize('item', ['eq. 1', 'eq. 13', 'eq. 22', 'fig. 5', 'table 2: Static'])
def test_removing_an_entry_fails(item):
    registry = {k: v for k, v in load_modules().items() if k != item}
    with pytest.raises(ValueError, match=item.replace('.', r'\.').replace('(', r'\(')):
        check_paper_map(registry)


def test_command(tmp_path):
    p = run('nri-paper-map')
    assert p.returncode == 0, p.stderr
    assert '| eq. 9 |' in p.stdout and 'not reproduced' in p.stdout
    p = run('nri-paper-map', '--write', '--nbs', tmp_path)
    assert p.returncode == 1 and 'no numbered notebooks' in p.stderr, p.stderr
    assert json.loads(INDEX_FILE.read_text()) == read_index()     # the failed --write left the index as it was
