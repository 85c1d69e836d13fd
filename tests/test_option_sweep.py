"""Every TrainConfig field and every nri-generate option set to a wrong-typed, zero, negative and absurdly large value:
a one-line error that names the option, never a traceback. Valid values among them (a zero dropout, seed 0, ...) must be accepted."""
import json, subprocess, sys
from dataclasses import fields
from pathlib import Path

import pytest

from nri_nb.train import TrainConfig, make_config

HERE = Path(__file__).parent
HUGE_INT = '1' + '0' * 30
# values that are valid, per setting and kind of value (everything else in the sweep must be refused)
VALID_TRAIN = {('encoder_dropout', 'zero'), ('decoder_dropout', 'zero'), ('seed', 'zero'), ('data_seed', 'zero'),
               ('factor', 'zero'), ('skip_first', 'zero'), ('hard', 'zero'),
               ('bf16', 'zero'), ('symmetry', 'zero'), ('decoder_start', 'zero')}   # symmetry 0: plain NRI; --bf16 0: off; decoder_start 0: every frame
VALID_GENERATE = {('seed', 'zero'), ('noise_std', 'zero'), ('n_valid', 'zero'), ('n_test', 'zero'),
                  ('edge_values', 'zero')}   # one edge type of coupling 0: no interactions at all (appendix A.2)
NOT_IN_CLI = {'compile', 'data_dir'}   # a switch without a value; any text is a valid folder name


def _values(kind):
    return dict(wrong='123' if kind == 'str' else 'abc', zero='0', negative='-1', huge=HUGE_INT if kind == 'int' else '1e300')


def _kind(name):
    t = str(next(f.type for f in fields(TrainConfig) if f.name == name))
    return 'int' if 'int' in t else 'float' if 'float' in t else 'str'


def _sweep(command, cases, tmp_path):
    cp, op = tmp_path / 'cases.json', tmp_path / 'out.json'
    cp.write_text(json.dumps(cases))
    subprocess.run([sys.executable, str(HERE / 'sweep_driver.py'), command, str(cp), str(op)], check=True, cwd=tmp_path,
                   env={'PATH': '/usr/bin:/bin', 'IN_TEST': '1'}, timeout=900)
    return json.loads(op.read_text())


def _check(results, expected_valid):
    bad = []
    for r, (name, kind) in zip(results, expected_valid):
        flag = '--' + name.replace('_', '-')
        if r['outcome'] != 'exit' or r['code'] == 0: bad.append((r['args'], r['outcome'], r.get('exception'), r.get('message', '')[-300:])); continue
        lines = [l for l in r['message'].splitlines() if l.strip()]
        usage_only = len(lines) == 1 or (lines[0].startswith('usage:') and all(l.startswith(' ') for l in lines[1:-1]))
        if not usage_only or (name not in lines[-1] and flag not in lines[-1]) or 'Traceback' in r['message']:   # argparse: its usage, then the error line
            bad.append((r['args'], 'message', r['message'][-300:]))
    assert not bad, '\n'.join(map(str, bad))


def test_every_train_setting(tmp_path):
    cases, labels = [], []
    for f in fields(TrainConfig):
        if f.name in NOT_IN_CLI: continue
        kind = 'str' if f.name in ('factor', 'skip_first', 'hard', 'bf16', 'prior') else _kind(f.name)
        for what, v in _values(kind).items():
            if (f.name, what) in VALID_TRAIN:        # accepted: checked without running anything
                make_config('quick', **{f.name: {'factor': False, 'skip_first': False, 'hard': False, 'bf16': False}.get(f.name, 0)}); continue
            labels.append((f.name, what))
            cases.append(['--out', 'run', '--' + f.name.replace('_', '-'), v])
    _check(_sweep('nri-train', cases, tmp_path), labels)


@pytest.mark.parametrize('what', ['wrong', 'zero', 'negative', 'huge'])
def test_every_train_setting_in_python(what):
    "The same sweep through `make_config`: a ValueError naming the field, nothing else."
    vals = dict(wrong='abc', zero=0, negative=-1, huge=10**30)
    for f in fields(TrainConfig):
        v = vals[what] if f.name not in ('sim', 'encoder', 'decoder', 'data_dir', 'init_from') or what != 'wrong' else 3
        if (f.name, what) in VALID_TRAIN and f.name not in ('factor', 'skip_first', 'hard', 'bf16'):
            make_config('quick', **{f.name: v}); continue
        with pytest.raises(ValueError, match=f.name): make_config('quick', **{f.name: v})


GENERATE_OPTIONS = dict(sim='str', n_objects='int', n_train='int', n_valid='int', n_test='int', n_frames_train='int',
                        n_frames_test='int', seed='int', device='str', chunk_size='int', edge_probs='list', edge_values='list',
                        noise_std='float', from_reference='str')


def test_every_generate_option(tmp_path):
    cases, labels = [], []
    for name, kind in GENERATE_OPTIONS.items():
        for what, v in _values(kind).items():
            if (name, what) in VALID_GENERATE: continue
            labels.append((name, what))
            cases.append(['--out', 'data', '--n-train', '10', '--n-valid', '2', '--n-test', '2', '--quiet', '--' + name.replace('_', '-'), v])
    results = _sweep('nri-generate', cases, tmp_path)
    _check(results, labels)
    assert not (tmp_path / 'data').exists()
