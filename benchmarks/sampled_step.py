"""Where a sampled step's time goes: each part of the recorder's statistics timed alone, on the
benchmark models of benchmarks/overhead.py (1 thread), next to the model's own step.

    python benchmarks/sampled_step.py                  # mlp, cnn, transformer, gpt
    python benchmarks/sampled_step.py --models cnn

Parts: the global gradient norm (every step), the parameter statistics of a sampled step (the
dense start's full set, and the later steps' norms only), the weights kept for the update norm (a
full copy, as before, and the strided sample now) and the update norm itself, and the activation
statistics of every module output (captured once by forward hooks, then timed alone), and the
forward under record/functional.py's TorchFunctionMode (entered, on sampled steps, only for a model
with no activation modules: the step under it minus the step without, interleaved). Each is the median of
`--repeat` timings, in ms, and as a share of the step without traindx.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import overhead  # noqa: E402
from traindx.record.functional import FunctionalActivations  # noqa: E402
from traindx.record.kinds import HARD_ZERO  # noqa: E402
from traindx.record.stats import (activation_raw, activation_stats, global_norm, param_stats, update_norms,  # noqa: E402
                                  weight_sample, whole_batch)


def timed(fn, repeat: int) -> float:
    fn()
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs) * 1e3


def timed_extra(plain, extra, repeat: int) -> float:
    """Median of (extra - plain) over interleaved runs, in ms: what `extra` adds to `plain`."""
    plain(), extra()
    diffs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        plain()
        t1 = time.perf_counter()
        extra()
        diffs.append((time.perf_counter() - t1) - (t1 - t0))
    return statistics.median(diffs) * 1e3


def profile(name: str, repeat: int) -> list[tuple[str, float]]:
    model, batch, data = overhead.MODELS[name][0]()
    gpt = name in overhead.LOSS_IN_FORWARD
    x, y = data(torch.Generator().manual_seed(0), batch)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    outputs = []

    def keep(module, args, out):
        if isinstance(out, torch.Tensor) and out.is_floating_point() and next(module.children(), None) is None:
            outputs.append((type(module).__name__, out.detach()))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = model(x, y) if gpt else F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    def step_under_mode():  # what a model with no activation modules pays on a sampled step
        with FunctionalActivations(lambda kind, out: None):
            loss = model(x, y) if gpt else F.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    base = timed(step, repeat)
    under_mode = timed_extra(step, step_under_mode, repeat)
    handle = torch.nn.modules.module.register_module_forward_hook(keep)
    step()
    handle.remove()
    relu = any(type(m).__name__ in HARD_ZERO for m in model.modules())
    params = [p for p in model.parameters() if p.grad is not None]
    grads = [p.grad for p in params]
    parts = [("model step (no traindx)", base),
             ("global gradient norm (every step)", timed(lambda: global_norm(grads), repeat)),
             ("parameter stats, dense start (full)", timed(lambda: param_stats(params, grads, True), repeat)),
             ("parameter stats, later sampled steps", timed(lambda: param_stats(params, grads, False), repeat)),
             ("weights kept: full copy (before)", timed(lambda: torch._foreach_mul([p.detach() for p in params], 1.0),
                                                        repeat)),
             ("weights kept: strided sample (now)", timed(lambda: weight_sample(params), repeat)),
             ("update norm from the sample", timed(lambda: update_norms(params, weight_sample(params)), repeat)
              - timed(lambda: weight_sample(params), repeat)),
             (f"activation stats, {len(outputs)} outputs, finished per output (before)",
              timed(lambda: [activation_stats(out, kind, whole_batch(kind, relu)) for kind, out in outputs],
                    repeat)),
             # as the recorder does now: with ReLU modules, the layers before them on the sample;
             # the scalar arithmetic left for the flush (finish_activation_stats)
             ("activation stats (now)", timed(lambda: [activation_raw(out, kind, whole_batch(kind, relu))
                                                       for kind, out in outputs], repeat)),
             ("forward under the functional-activation mode", under_mode)]
    return parts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", default="mlp,cnn,transformer,gpt")
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    torch.set_flush_denormal(True)
    for name in args.models.split(","):
        parts = profile(name, args.repeat)
        base = parts[0][1]
        print(f"\n{overhead.MODELS[name][1]}")
        for label, ms in parts:
            print(f"  {label:40s} {ms:8.2f} ms  {ms / base:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
