"""Collect the Table 1 runs of `nri-reproduce` into `bench/results/table1_quick.json`, the file the docs home reads.

    python bench/results_table1.py [RUN_FOLDER]     # default nbs/runs/table1-quick (notebook 10's runs)

It trains nothing: it reads the finished runs' `metrics.json` through `nri_nb.experiments.summarise_table1`
(test edge accuracy per seed, the MSE after 1, 10 and 20 predicted steps, wall minutes, the settings) and
writes the summary atomically. Runs already in the results file whose seeds the folder does not hold (a folder
of an earlier checkout, since lost) are kept, when they were made with the same settings, so the file
accumulates every run of a column. When a column's settings or its curriculum change (a new preset), the folder's runs make the
row and the earlier ones are kept under `superseded`, with their settings."""
import json, math, sys
from dataclasses import asdict
from pathlib import Path
from nri_nb.core import atomic_write
from nri_nb.experiments import COLUMNS, _same_warm_start, summarise_table1, table1_markdown
from nri_nb.train import TrainConfig

here = Path(__file__).resolve().parent
runs = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parent/'nbs'/'runs'/'table1-quick'
if not (runs/'plan.json').exists(): sys.exit(f"{runs} holds no plan.json: run `nri-reproduce --out {runs}` first")
summary = summarise_table1(runs)
path = here/'results'/f"table1_{summary['budget']}.json"
defaults = {k: v for k, v in asdict(TrainConfig()).items() if k not in ('seed', 'data_dir')}

def _stats(row):
    acc = [r['edge_accuracy'] for r in row['runs']]
    n = len(acc); mean = sum(acc) / n if n else None
    se = math.sqrt(sum((a - mean) ** 2 for a in acc) / (n - 1)) / math.sqrt(n) if n > 1 else None
    wall = [r['wall_minutes'] for r in row['runs']]
    row.update(seeds=[r['seed'] for r in row['runs']], n_runs=n, mean=mean, se=se, min=min(acc, default=None), max=max(acc, default=None),
               wall_minutes_mean=sum(wall) / n if n else None, wall_minutes_max=max(wall, default=None))

if path.exists():
    old = json.loads(path.read_text())
    for c, o in old['rows'].items():
        new = summary['rows'].get(c)
        if new is None: summary['rows'][c] = o; continue
        if {**defaults, **o['settings']} != {**defaults, **new['settings']} or not _same_warm_start(o.get('warm_start'), new.get('warm_start')):
            # the preset (or its curriculum) changed: the folder's runs make the row; the earlier ones stay on record beside it
            print(f"{c}: the results file's runs were made with other settings; the folder's make the row, those are kept as superseded")
            new['superseded'] = o.get('superseded', []) + [dict(settings=o['settings'], runs=o['runs'],
                                                                 **({'warm_start': o['warm_start']} if o.get('warm_start') else {}))]
            continue
        if o.get('superseded'): new['superseded'] = o['superseded']     # earlier presets' runs stay on record
        have = {r['seed'] for r in new['runs']}
        kept = [r for r in o['runs'] if r['seed'] not in have]
        if kept: print(f"{c}: keeping {len(kept)} earlier run(s) from {path.name}")
        new['runs'] = kept + new['runs']
        _stats(new)
summary['rows'] = {c: summary['rows'][c] for c in COLUMNS if c in summary['rows']}     # the paper's order
summary['source'] = f"nri-reproduce --budget {summary['budget']} (runs folder {runs.name}, with earlier runs of the same settings)"
with atomic_write(path) as tmp: Path(tmp).write_text(json.dumps(summary, indent=1))
print(table1_markdown(summary))
