"""What `posterior_saturation.py` and `kuramoto_errors.py` share: the command line over trained runs, and the results
file that keeps one entry per run folder."""
import argparse, json
from pathlib import Path
import torch
from nri_nb.core import atomic_write

RESULTS = Path(__file__).resolve().parent/'results'

def diagnose_runs(doc:str, diagnose, name:str):
    "Parse `runs --n --threads --out`, call `diagnose(Path(run), n)` on each run, print it and keep it in `results/{name}.json`."
    p = argparse.ArgumentParser(description=doc.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('runs', nargs='+', help='run folders (their best.pt) or checkpoint files')
    p.add_argument('--n', type=int, default=1000, help='validation simulations to look at')
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--out', default=str(RESULTS/f'{name}.json'))
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    res = json.loads(Path(a.out).read_text()) if Path(a.out).exists() else {}
    for r in a.runs:
        res[str(r)] = out = diagnose(Path(r), a.n)
        print(r, json.dumps(out), flush=True)
    with atomic_write(a.out) as tmp: Path(tmp).write_text(json.dumps(res, indent=1))
