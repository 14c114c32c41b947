"""On a CUDA GPU: prove there is no host-device sync on the recorder's hot path, and measure its cost.

    python benchmarks/gpu_check.py            # about a minute; exits 0 and says so without CUDA

1. A small training runs with `torch.cuda.set_sync_debug_mode("error")` around every step that
   does not flush: any synchronising call (.item(), .cpu(), a boolean mask, a pageable copy to the
   device...) raises there. It runs first without traindx (the training itself must be sync-free),
   then under the recorder with default sampling, then with statistics on every step.
2. The step-time ratio with/without traindx, interleaved (A B A B, medians), for both settings.
Prints one line per check and "gpu_check: OK" or "gpu_check: FAILED"; exit code 0 / 1.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def build(device):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(1024, 2048), nn.ReLU(), nn.Linear(2048, 2048), nn.ReLU(),
                          nn.Linear(2048, 2048), nn.Sigmoid(), nn.Linear(2048, 10)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)  # step counters stay on the CPU: no sync
    g = torch.Generator(device=device).manual_seed(0)
    data = [(torch.randn(512, 1024, device=device, generator=g),
             torch.randint(0, 10, (512,), device=device, generator=g)) for _ in range(8)]
    return model, opt, data


def step(model, opt, batch):
    x, y = batch
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()


def strict_steps(model, opt, data, n, rec=None) -> int:
    """n steps; every step that will not flush runs with sync debug mode "error". Returns how many."""
    checked = 0
    for i in range(n):
        flushes = rec is not None and rec._since_flush + 1 >= rec.flush_every
        if not flushes:
            torch.cuda.set_sync_debug_mode("error")
            checked += 1
        try:
            step(model, opt, data[i % len(data)])
        finally:
            torch.cuda.set_sync_debug_mode("default")
    torch.cuda.synchronize()
    return checked


def timed(model, opt, data, n) -> float:
    torch.cuda.synchronize()
    t = time.perf_counter()
    for i in range(n):
        step(model, opt, data[i % len(data)])
    torch.cuda.synchronize()
    return (time.perf_counter() - t) / n


def main() -> int:
    if not torch.cuda.is_available():
        print("gpu_check: skipped: CUDA is not available on this machine (nothing to check)")
        return 0
    from traindx.record import Recorder
    device = torch.device("cuda")
    print(f"device: {torch.cuda.get_device_name(0)}, torch {torch.__version__}")
    ok = True
    model, opt, data = build(device)
    for _ in range(5):
        step(model, opt, data[0])
    try:
        strict_steps(model, opt, data, 20)
        print("check 0: the training alone is sync-free: yes")
    except RuntimeError as exc:
        print(f"check 0: the training itself synchronises, cannot check traindx: {exc}")
        return 1
    for every in (None, 1):
        label = "defaults" if every is None else "every step"
        with tempfile.TemporaryDirectory() as tmp:
            rec = Recorder(Path(tmp) / "run", every=every, flush_every=50, flush_seconds=1e9).start()
            try:
                strict_steps(model, opt, data, 12, rec)  # the dense start; first-time set-up
                checked = strict_steps(model, opt, data, 120, rec)
                print(f"check {label}: {checked} non-flush steps under sync debug mode 'error': no sync")
            except RuntimeError as exc:
                ok = False
                print(f"check {label}: FAILED: a host-device sync on the hot path: {exc}")
            if rec._disabled:
                ok = False
                print(f"check {label}: FAILED: recorder parts disabled: {sorted(rec._disabled)}")
            a, b = [], []
            for _ in range(7):
                with rec.paused():
                    a.append(timed(model, opt, data, 50))
                b.append(timed(model, opt, data, 50))
            rec.stop()
        ratio = statistics.median(b) / statistics.median(a)
        print(f"overhead {label}: x{ratio:.3f} ({statistics.median(a) * 1e3:.2f} -> "
              f"{statistics.median(b) * 1e3:.2f} ms/step, median of 7 interleaved 50-step blocks)")
    print("gpu_check: OK" if ok else "gpu_check: FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
