"""kill -9 a recorded training at random moments, cheaply: this process imports torch and traindx
once, then forks one `traindx run --out BASE/runN endless_train.py` per kill (the child runs the
real CLI), waits until the run directory exists, sleeps a random time and sends SIGKILL.
Usage: kill_harness.py BASE N SEED. Prints one line per kill: index, delay."""
import os
import random
import signal
import sys
import time
from pathlib import Path

import torch  # noqa: F401  (imported before forking, as `traindx run` would have)
from traindx.cli import main
from traindx.record import recorder

base, n, seed = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
# warm up torch's lazy first-step work (optimizer imports) once, so each child trains at once
_m = torch.nn.Linear(2, 2)
_o = torch.optim.Adam(_m.parameters())
torch.nn.functional.cross_entropy(_m(torch.randn(4, 2)), torch.tensor([0, 1, 0, 1])).backward()
_o.step()
script = Path(__file__).with_name("endless_train.py")
for i in range(n):
    out = base / f"run{i}"
    # alternate: frequent small flushes (kills land mid-write) and the default schedule
    flush_every = 3 if i % 2 else 200
    pid = os.fork()
    if pid == 0:
        recorder.Recorder.__init__.__kwdefaults__["flush_every"] = flush_every
        sys.argv = ["traindx", "run", "--out", str(out), "--every", "1", str(script)]
        code = 1
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            os._exit(code)
    deadline = time.monotonic() + 20
    while not (out / "events.jsonl").exists() and time.monotonic() < deadline:
        time.sleep(0.002)
    delay = rng.uniform(0.0, float(os.environ.get("KILL_MAX_DELAY", "0.8")))
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    print(i, f"{delay:.3f}", "killed" if os.WIFSIGNALED(status) else f"exited {status}", flush=True)
