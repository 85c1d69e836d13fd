"The package's record of Table 2 (notebook 09 shows it on Colab) is the one in bench/results, and it loads."
import json
from pathlib import Path

from nri_nb.baselines import recorded_table2, table2_findings, TABLE2_ROWS

ROOT = Path(__file__).resolve().parent.parent


def test_record_matches_bench():
    shipped = ROOT/'nri_nb'/'records'/'table2_quick.json'
    assert json.loads(shipped.read_text()) == json.loads((ROOT/'bench'/'results'/'table2_quick.json').read_text()), \
        "nri_nb/records/table2_quick.json differs from bench/results/table2_quick.json: run  python bench/results_table2.py"


def test_record_loads_and_reads():
    rec = recorded_table2('quick')
    assert rec['budget'] == 'quick' and set(rec['rows']) == set(TABLE2_ROWS)
    for row, cells in rec['rows'].items():
        for c, cell in cells.items():
            for r in cell['runs']:
                assert len(r['mse_per_step']) == 20 and r['mse_1_10_20'] == [r['mse_per_step'][k] for k in (0, 9, 19)], (row, c)
    assert all(f['column'] in rec['columns'] for f in table2_findings(rec))
