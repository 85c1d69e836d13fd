"""Collect the Table 1 runs of `nri-reproduce` into `bench/results/table1_quick.json`, the file the docs home reads.

    python bench/results_table1.py [RUN_FOLDER]     # default nbs/runs/table1-quick (notebook 10's runs)

It trains nothing: it reads the finished runs' `metrics.json` through `nri_nb.experiments.summarise_table1`
(test edge accuracy per seed, the MSE after 1, 10 and 20 predicted steps, wall minutes, the settings) and
writes the summary atomically."""
import json, sys
from pathlib import Path
from nri_nb.core import atomic_write
from nri_nb.experiments import summarise_table1, table1_markdown

here = Path(__file__).resolve().parent
runs = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parent/'nbs'/'runs'/'table1-quick'
if not (runs/'plan.json').exists(): sys.exit(f"{runs} holds no plan.json: run `nri-reproduce --out {runs}` first")
summary = summarise_table1(runs)
summary['source'] = f"nri-reproduce --budget {summary['budget']} (runs folder {runs.name})"
with atomic_write(here/'results'/f"table1_{summary['budget']}.json") as tmp: Path(tmp).write_text(json.dumps(summary, indent=1))
print(table1_markdown(summary))
