"""Run an unmodified training script under the recorder, as `python script.py args` would."""
from __future__ import annotations

import os
import runpy
import signal
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from . import keras_capture, printed
from .writer import safe_name
from .recorder import Recorder, StopTraining

EXIT_STOPPED = 4  # traindx ended the training (--stop-on): distinct from the script's own codes


@dataclass
class ScriptResult:
    status: str  # completed | exited (sys.exit with a non-zero code) | exception | interrupted | stopped
    exit_code: int


def run_script(script: Path, args: list[str], recorder: Recorder) -> ScriptResult:
    """Execute `script` as __main__ with sys.argv = [script, *args] and the script's directory
    first on sys.path. The script's own output is untouched (a tee on sys.stdout reads the
    evaluation metrics it prints, see printed.py); its traceback prints as Python's."""
    old_argv, old_path, old_cwd = sys.argv[:], sys.path[:], os.getcwd()
    sys.argv = [str(script), *args]
    sys.path.insert(0, str(Path(script).resolve().parent))
    recorder.start()
    tee = printed.install(recorder)
    keras_hook = keras_capture.install(recorder)
    status, code = "completed", 0
    old_term = _catch_sigterm()
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as exc:
        code = _exit_code(exc.code)
        status = "completed" if code == 0 else "exited"  # sys.exit(3): the script's own choice
        if code and isinstance(exc.__context__, StopTraining):
            status, code = "stopped", EXIT_STOPPED  # Lightning's graceful exit after our stop
            _say_stopped(exc.__context__)
        elif code and isinstance(exc.__context__, KeyboardInterrupt):
            status = "interrupted"  # Lightning turns Ctrl-C (and our SIGTERM) into sys.exit(1)
    except StopTraining as exc:
        status, code = "stopped", EXIT_STOPPED
        _say_stopped(exc)
    except KeyboardInterrupt as exc:
        terminated = isinstance(exc, Terminated)
        status, code = "interrupted", 143 if terminated else 130
        how = "stopped by SIGTERM" if terminated else "interrupted (Ctrl-C)"
        print(f"\ntraindx: training {how}; diagnosing what was recorded", file=sys.stderr)
    except BaseException as exc:  # the script's own error: show it as Python would, keep going
        status, code = "exception", 1
        _print_script_traceback(exc, script)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        printed.uninstall(tee)
        keras_capture.uninstall(keras_hook)
        recorder.stop(status=status, exit_code=code, reason=recorder.stop_reason)
        sys.argv, sys.path[:] = old_argv, old_path
        os.chdir(old_cwd)  # a script that changed directory (Hydra does) leaves ours as it was
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
    return ScriptResult(status, code)


def _say_stopped(exc: StopTraining) -> None:
    print(f"\ntraindx: {exc}; diagnosing what was recorded", file=sys.stderr)


class Terminated(KeyboardInterrupt):
    """SIGTERM (a scheduler's or `kill`'s stop) raised in the script as Ctrl-C is: its own
    `except KeyboardInterrupt` cleanup runs, and the run is diagnosed instead of just vanishing."""


def _raise_terminated(signum, frame):
    raise Terminated()


def _catch_sigterm():
    """Install the SIGTERM handler; the previous one, or None where signals cannot be set (a
    thread other than the main one)."""
    try:
        return signal.signal(signal.SIGTERM, _raise_terminated)
    except (ValueError, OSError):
        return None


def _print_script_traceback(exc: BaseException, script: Path) -> None:
    """The traceback from the script's first frame on, as `python script.py` would print it."""
    tb = exc.__traceback__
    target = str(Path(script).resolve())
    while tb is not None and str(Path(tb.tb_frame.f_code.co_filename).resolve()) != target:
        tb = tb.tb_next
    traceback.print_exception(type(exc), exc, tb or exc.__traceback__)


def _exit_code(code) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit("message") prints the message and exits 1
    return 1


def default_out(script: Path) -> Path:
    """runs/<script-stem>-<YYYYmmdd-HHMMSS>; several ranks of one torchrun share one directory."""
    import time
    run_id = os.environ.get("TORCHELASTIC_RUN_ID")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = f"{Path(script).stem}-{run_id if run_id and run_id != 'none' else stamp}"
    return Path("runs") / safe_name(name)
