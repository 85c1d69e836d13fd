"""Run one command's CLI in this process for many argument lists (a sweep): `python sweep_driver.py COMMAND CASES.json OUT.json`.

Each case is a list of arguments. Its outcome: the exit code and the message (a `CliError` or argparse's error), or the
class of any other exception (a traceback a user would see), or 'ran' if it passed the checks and started working
(stopped after a few seconds)."""
import contextlib, io, json, signal, sys, traceback

command, cases_path, out_path = sys.argv[1:4]
cases = json.loads(open(cases_path).read())
if command == 'nri-train': from nri_nb.train import nri_train as cli
elif command == 'nri-generate': from nri_nb.data import nri_generate as cli
else: raise SystemExit(f'unknown command {command}')

class Started(Exception): pass
def alarm(*_): raise Started()
signal.signal(signal.SIGALRM, alarm)

results = []
for args in cases:
    sys.argv = [command, *args]
    err = io.StringIO()
    res = dict(args=args)
    signal.alarm(4)
    try:
        with contextlib.redirect_stderr(err): cli()
        res.update(outcome='ran')
    except Started: res.update(outcome='ran')
    except SystemExit as e:
        msg = e.code if isinstance(e.code, str) else err.getvalue()
        res.update(outcome='exit', code=e.code if isinstance(e.code, int) else 1, message=msg.strip())
    except BaseException as e:
        res.update(outcome='exception', exception=type(e).__name__, message=traceback.format_exc()[-600:])
    finally: signal.alarm(0)
    results.append(res)
open(out_path, 'w').write(json.dumps(results, indent=1))
