"""Counts of the option sweep's outcomes (tests/test_option_sweep.py's cases) for an installation:

    python bench/misuse_sweep.py LABEL PYTHONPATH [OUT.json]

PYTHONPATH selects the package to try ('' for the installed one; a checkout of an older commit to compare).
Outcomes: clear error (one line naming the option), unclear error (an error that does not name it), traceback, silent."""
import json, os, subprocess, sys, tempfile
from pathlib import Path
TESTS = Path(__file__).resolve().parent.parent / 'tests'
sys.path.insert(0, str(TESTS))
import test_option_sweep as T
from dataclasses import fields
from nri_nb.train import TrainConfig
label, pypath = sys.argv[1], sys.argv[2]
out = sys.argv[3] if len(sys.argv) > 3 else None
def build():
    tr, gen = [], []
    for f in fields(TrainConfig):
        if f.name in T.NOT_IN_CLI: continue
        kind = 'str' if f.name in ('factor', 'skip_first', 'prior') else T._kind(f.name)
        for what, v in T._values(kind).items():
            if (f.name, what) in T.VALID_TRAIN: continue
            tr.append((f.name, ['--out', 'run', '--' + f.name.replace('_', '-'), v]))
    for name, kind in T.GENERATE_OPTIONS.items():
        for what, v in T._values(kind).items():
            if (name, what) in T.VALID_GENERATE: continue
            gen.append((name, ['--out', 'data', '--n-train', '10', '--n-valid', '2', '--n-test', '2', '--quiet', '--' + name.replace('_', '-'), v]))
    return dict(**{'nri-train': tr, 'nri-generate': gen})
counts, total = {}, {}
for cmd, cases in build().items():
    d = Path(tempfile.mkdtemp())
    (d/'c.json').write_text(json.dumps([a for _, a in cases]))
    subprocess.run([sys.executable, str(TESTS / 'sweep_driver.py'), cmd, str(d/'c.json'), str(d/'o.json')], cwd=d,
                   env={'PATH': '/usr/bin:/bin', 'IN_TEST': '1', 'PYTHONPATH': pypath}, timeout=3000)
    res = json.loads((d/'o.json').read_text())
    c = counts.setdefault(cmd, {})
    for (name, _), r in zip(cases, res):
        if r['outcome'] == 'exception': o = 'traceback'
        elif r['outcome'] == 'ran' or r.get('code') == 0: o = 'silent'
        else:
            lines = [l for l in r['message'].splitlines() if l.strip()]
            o = 'clear error' if lines and (name in lines[-1] or '--' + name.replace('_', '-') in lines[-1]) else 'unclear error'
        c[o] = c.get(o, 0) + 1; total[o] = total.get(o, 0) + 1
res = dict(label=label, totals=total, by_command=counts, n=sum(total.values()))
print(json.dumps(res))
if out: Path(out).write_text(json.dumps(res, indent=1))
