#!/usr/bin/env python3
"""Execute every notebook the way a learner on a fresh runtime would: only the installed package (no dev
extra, no repository beside the notebook), each notebook copied alone into an empty folder and run there,
under IN_TEST=1 and without the cells that `nbdev-test` skips (the `tst_flags` of pyproject.toml).

Usage: python .ci/run_plain.py [NOTEBOOK ...]   (default: every nbs/*.ipynb but the site pages)
Needs nbformat, nbclient and ipykernel in the interpreter that runs it; exits 1 if a notebook fails,
naming the notebook and the cell. Runs as many notebooks at once as there are CPUs (NRI_PLAIN_WORKERS to change)."""
import os, re, shutil, sys, tempfile, time, tomllib
from concurrent.futures import ProcessPoolExecutor
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

def _run_one(p: Path, flags: set):
    "`(name, seconds, None)`, or `(name, None, the end of the error)` if a cell failed."
    try: return p.name, run(p, flags), None
    except CellExecutionError as e: return p.name, None, str(e)[-3000:]

def main(argv):
    nbs = [Path(a) for a in argv] or sorted(p for p in (ROOT / 'nbs').glob('*.ipynb') if p.name not in SITE_PAGES)
    os.environ['IN_TEST'] = '1'
    flags, failed = skip_flags(), []
    try: import nbdev  # noqa: F401
    except ImportError: pass
    else: sys.exit('run_plain.py must run where nbdev is not installed: it checks the notebooks without the dev extra')
    workers = max(1, min(len(nbs), int(os.environ.get('NRI_PLAIN_WORKERS', os.cpu_count() or 1))))
    with ProcessPoolExecutor(workers) as pool:   # one kernel per notebook, each in its own empty folder
        for name, secs, err in pool.map(_run_one, nbs, [flags] * len(nbs)):
            if err is None: print(f'{name}: ok in {secs:.0f} s', flush=True)
            else:
                failed.append(name)
                print(f'{name}: FAILED\n{err}', flush=True)
    if failed: sys.exit(f'{len(failed)} notebook(s) failed on a plain install: {", ".join(failed)}')
    print(f'all {len(nbs)} notebooks ran on a plain install')

if __name__ == '__main__': main(sys.argv[1:])
