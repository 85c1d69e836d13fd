"Package-level checks: it imports, its version is set, every notebook module is exported."
import importlib, json, re, subprocess, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _exported_modules():
    "Module names declared by `#| default_exp` in the notebooks."
    mods = []
    for nb in sorted((ROOT/'nbs').glob('[0-9]*.ipynb')):
        for cell in json.loads(nb.read_text())['cells']:
            m = re.search(r'^#\s*\|\s*default_exp\s+(\S+)', ''.join(cell['source']), re.M)
            if m: mods.append(m.group(1))
    return mods


def test_version():
    import nri_nb
    assert re.fullmatch(r'\d+\.\d+\.\d+.*', nri_nb.__version__)


@pytest.mark.parametrize('mod', _exported_modules())
def test_modules_import(mod):
    m = importlib.import_module(f'nri_nb.{mod}')
    assert m.__all__, f'nri_nb.{mod} exports nothing'
    for name in m.__all__: assert hasattr(m, name), f'nri_nb.{mod}.__all__ names missing {name}'


def test_import_is_light():
    "Importing the package must not pull in plotting or notebook machinery."
    code = 'import sys, nri_nb.core; print(any(m.startswith(("matplotlib", "IPython", "nbdev")) for m in sys.modules))'
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == 'False'


def test_readme_in_sync():
    "README.md is generated from nbs/index.ipynb (see .ci/readme.py)."
    subprocess.run([sys.executable, str(ROOT/'.ci'/'readme.py'), '--check'], check=True)
