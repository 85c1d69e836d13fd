"""Collect the Table 2 rows of `nri-reproduce --table 2` into `bench/results/table2_quick.json`, the file the docs home reads,
and the same into `nri_nb/records/` (`nri_nb.baselines.recorded_table2`, which notebook 09 shows on Colab).

    python bench/results_table2.py [RUN_FOLDER]     # default nbs/runs/table1-quick (the folder both tables share)

It trains nothing: it reads every finished row's `metrics.json` (the baselines' under `{column}/baselines/`,
NRI (learned) from Table 1's runs) through `nri_nb.baselines.summarise_table2`, adds each run's MSE at every
step, its wall minutes and settings, and writes the result atomically. Rows already in the results file that the
folder lacks (a folder of an earlier checkout, since lost) are kept, so the file accumulates."""
import json, sys
from pathlib import Path
from nri_nb.core import atomic_write
from nri_nb.baselines import summarise_table2, table2_markdown, TABLE2_ROWS, _slug

here = Path(__file__).resolve().parent
runs = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parent/'nbs'/'runs'/'table1-quick'
if not (runs/'plan.json').exists(): sys.exit(f"{runs} holds no plan.json: run `nri-reproduce --table 2 --out {runs}` first")
summary = summarise_table2(runs)
plan = json.loads((runs/'plan.json').read_text())
for row, cells in summary['rows'].items():
    for c, cell in cells.items():
        for r in cell['runs']:
            f = runs/c/f"seed{r['seed']}"/'metrics.json' if row == 'NRI (learned)' else runs/c/'baselines'/_slug(row)/f"seed{r['seed']}"/'metrics.json'
            m = json.loads(f.read_text())
            r['mse_per_step'] = m['mse_per_step']
            r['settings'] = m.get('settings', plan['columns'][c]['settings']) if row != 'NRI (learned)' else plan['columns'][c]['settings']
path = here/'results'/f"table2_{summary['budget']}.json"
if path.exists():
    old = json.loads(path.read_text())
    for row, cells in old['rows'].items():
        for c, o in cells.items():
            new = summary['rows'].setdefault(row, {}).setdefault(c, dict(runs=[], mean=None, paper=o['paper']))
            have = {r['seed'] for r in new['runs']}
            if new['runs'] and o['runs'] and o['runs'][0].get('settings') != new['runs'][0].get('settings'):
                # other settings (a new preset): the folder's runs make the cell, the earlier ones stay on record beside it
                print(f"{row}, {c}: earlier run(s) made with other settings kept as superseded")
                new['superseded'] = o.get('superseded', []) + o['runs']; continue
            if o.get('superseded'): new['superseded'] = o['superseded']   # earlier presets' runs stay on record when the file is collected again
            kept = [r for r in o['runs'] if r['seed'] not in have]
            if kept: print(f"{row}, {c}: keeping {len(kept)} earlier run(s) from {path.name}")
            new['runs'] = kept + new['runs']
            if new['runs']: new['mean'] = [sum(r['mse_1_10_20'][k] for r in new['runs']) / len(new['runs']) for k in range(3)]
    summary['columns'] = [c for c in ('springs5', 'charged5', 'kuramoto5') if c in set(summary['columns']) | set(old['columns'])]
summary['source'] = f"nri-reproduce --table 2 --budget {summary['budget']} (runs folder {runs.name}, with earlier rows)"
for f in (path, here.parent/'nri_nb'/'records'/path.name):   # the package ships the same record (`recorded_table2`, for Colab)
    f.parent.mkdir(exist_ok=True)
    with atomic_write(f) as tmp: Path(tmp).write_text(json.dumps(summary, indent=1))
print(table2_markdown(summary))
