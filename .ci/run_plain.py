#!/usr/bin/env python3
"""Execute every notebook the way a learner on a fresh runtime would: only the installed package (no dev
extra, no repository beside the notebook), each notebook copied alone into an empty folder and run there,
under IN_TEST=1 and without the cells that `nbdev-test` skips (the `tst_flags` of pyproject.toml).

Usage: python .ci/run_plain.py [NOTEBOOK ...]   (default: every nbs/*.ipynb but the site pages)
Needs nbformat, nbclient and ipykernel in the interpreter that runs it; exits 1 if a notebook fails,
naming the notebook and the cell."""
import os, re, shutil, sys, tempfile, time, tomllib
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
SITE_PAGES = {'contributing.ipynb'}   # pages without code to run

def skip_flags() -> set:
    cfg = tomllib.loads((ROOT / 'pyproject.toml').read_text())['tool']['nbdev']
    return set(cfg.get('tst_flags', '').split()) | {'skip_test'}

_DIRECTIVE = re.compile(r'^\s*#\s*\|\s*(\S+)')

def skipped(cell, flags) -> bool:
    "True for a code cell whose `#| flag` directives include one of `flags` (what nbdev-test skips)."
    for line in cell.source.splitlines():
        m = _DIRECTIVE.match(line)
        if not m: break
        if m.group(1) in flags: return True
    return False

def run(nb_path: Path, flags: set, timeout: int = 900) -> float:
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells = [c for c in nb.cells if not (c.cell_type == 'code' and skipped(c, flags))]
    with tempfile.TemporaryDirectory(prefix='nri-plain-') as d:
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=timeout, kernel_name='python3', resources={'metadata': {'path': d}}).execute()
        return time.perf_counter() - t0

def main(argv):
    nbs = [Path(a) for a in argv] or sorted(p for p in (ROOT / 'nbs').glob('*.ipynb') if p.name not in SITE_PAGES)
    os.environ['IN_TEST'] = '1'
    flags, failed = skip_flags(), []
    try: import nbdev  # noqa: F401
    except ImportError: pass
    else: sys.exit('run_plain.py must run where nbdev is not installed: it checks the notebooks without the dev extra')
    for p in nbs:
        try: print(f'{p.name}: ok in {run(p, flags):.0f} s', flush=True)
        except CellExecutionError as e:
            failed.append(p.name)
            print(f'{p.name}: FAILED\n{str(e)[-3000:]}', flush=True)
    if failed: sys.exit(f'{len(failed)} notebook(s) failed on a plain install: {", ".join(failed)}')
    print(f'all {len(nbs)} notebooks ran on a plain install')

if __name__ == '__main__': main(sys.argv[1:])
