"""What traindx costs a training step: the same training with and without a monitor, interleaved.

    python benchmarks/overhead.py                 # all models and modes (a few minutes on 1 core)
    python benchmarks/overhead.py --quick         # fewer, shorter blocks: a smoke run
    python benchmarks/overhead.py --models mlp --modes traindx,naive --pairs 9

For each model, one model and optimiser train continuously while the monitor is switched on and off
every `--block` steps (A B A B ...: A = no monitor, B = monitor). A block's cost is its mean step
time (so the steps that take statistics, and the flushes, count); the ratio is median(B) / median(A)
over the pairs, after warm-up pairs that are thrown away (they include traindx's dense start, ten
steps of full statistics, a one-time cost). Wall-clock and process CPU time are both measured: on a
shared machine the CPU-time ratio is the steadier one. Results go to stdout (a table) and to
benchmarks/results/overhead.json.

Modes:
  traindx        Recorder(out).start(), as `traindx run` does: defaults (full statistics on the first
                 10 steps, then every 50; the global gradient norm every step; flush every 200 steps)
  traindx_no_gnorm  the defaults without the per-step global gradient norm (a no-op in its place):
                 the A/B of `traindx` against it is what that norm costs
  traindx_live   the defaults plus the live checks (`traindx run`'s alerts, traindx/live.py) at
                 each flush: the A/B of `traindx` against `traindx_live` is their cost
  traindx_every1 the same with full statistics on every step (`--every 1`)
  naive          what a hand-written monitor does: forward hooks on every leaf module and gradient
                 hooks on every parameter, each calling .item() on its statistics every step
  wandb          `wandb.watch(model, log="all")` (its default log_freq=1000) in offline mode, plus
                 `wandb.log({"loss": loss.item()})` each step, as its docs show
  wandb_freq25   the same with log_freq=25, the sampling rate traindx uses by default
Modes whose package is missing are reported as skipped.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

MODES = ("traindx", "traindx_live", "traindx_every1", "traindx_no_gnorm", "naive", "wandb", "wandb_freq25")


# ---------------------------------------------------------------------------- models and data
def mlp():
    layers, width = [], 784
    for _ in range(4):
        layers += [nn.Linear(width, 512), nn.ReLU()]
        width = 512
    model = nn.Sequential(*layers, nn.Linear(512, 10))
    return model, 256, lambda g, b: (torch.randn(b, 784, generator=g), torch.randint(0, 10, (b,), generator=g))


def cnn():
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
    return model, 128, lambda g, b: (torch.randn(b, 1, 28, 28, generator=g),
                                     torch.randint(0, 10, (b,), generator=g))


class TinyTransformer(nn.Module):
    """2 encoder layers, d=128, 4 heads, sequence 64, next-token loss over a 1000-token vocabulary."""

    def __init__(self, vocab: int = 1000, d: int = 128, seq: int = 64):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.zeros(seq, d))
        layer = nn.TransformerEncoderLayer(d, 4, 4 * d, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(d, vocab)

    def forward(self, tokens):
        return self.head(self.encoder(self.embed(tokens) + self.pos)).reshape(-1, self.head.out_features)


def transformer():
    def data(g, b):
        tokens = torch.randint(0, 1000, (b, 65), generator=g)
        return tokens[:, :-1], tokens[:, 1:].reshape(-1)
    return TinyTransformer(), 32, data


class Block(nn.Module):
    """A GPT block as nanoGPT writes it: pre-LayerNorm, causal self-attention, a GELU MLP."""

    def __init__(self, d: int, heads: int):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj, self.heads = nn.Linear(d, 3 * d), nn.Linear(d, d), heads
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    """Character GPT: token + position embeddings, 4 blocks d=128, tied head, loss inside forward."""

    def __init__(self, vocab: int = 65, d: int = 128, seq: int = 64, layers: int = 4):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(seq, d)
        self.blocks = nn.ModuleList(Block(d, 4) for _ in range(layers))
        self.ln_f, self.head = nn.LayerNorm(d), nn.Linear(d, vocab, bias=False)
        self.head.weight = self.tok.weight

    def forward(self, idx, targets):
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1]))
        for block in self.blocks:
            x = block(x)
        logits = self.head(self.ln_f(x))
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))


def gpt():
    def data(g, b):
        tokens = torch.randint(0, 65, (b, 65), generator=g)
        return tokens[:, :-1], tokens[:, 1:]
    return TinyGPT(), 16, data


MODELS = {"mlp": (mlp, "MLP 784-4x512-10, batch 256"),
          "cnn": (cnn, "CNN 2 conv + 2 fc on 1x28x28, batch 128"),
          "transformer": (transformer, "Transformer 2 layers d=128 seq 64, batch 32"),
          "gpt": (gpt, "GPT 4 blocks d=128 seq 64, batch 16: loss in forward, AdamW, clipping")}
LOSS_IN_FORWARD = ("gpt",)  # nanoGPT's style: model(x, y) returns the loss; AdamW and clipping


# ---------------------------------------------------------------------------- monitors
class Monitor:
    """Switches one kind of monitoring on and off around blocks of steps."""
    name = "none"

    def on(self):
        return contextlib.nullcontext()

    def close(self):
        pass


class TraindxMonitor(Monitor):
    def __init__(self, model, tmp: Path, every: int | None, live: bool = False, gnorm: bool = True):
        from traindx.record import Recorder, recorder
        self._norm = recorder.global_norm
        if not gnorm:  # a no-op in its place until close()
            recorder.global_norm = lambda grads: None
        self.rec = Recorder(tmp / "run", every=every)
        if live:
            from traindx.live import Monitor as Live
            self.rec.listeners.append(Live())
        self.rec.start()
        self._ctx = None
        self._pause = self.rec.paused()
        self._pause.__enter__()  # monitor off until on()

    @contextlib.contextmanager
    def on(self):
        self._pause.__exit__(None, None, None)
        try:
            yield
        finally:
            self._pause = self.rec.paused()
            self._pause.__enter__()

    def close(self):
        from traindx.record import recorder
        self._pause.__exit__(None, None, None)
        self.rec.stop()
        recorder.global_norm = self._norm


class NaiveMonitor(Monitor):
    """Per-layer statistics with .item() on every step: the pattern traindx avoids."""

    def __init__(self, model, tmp, every):
        self.model, self.log, self.handles = model, [], []

    @contextlib.contextmanager
    def on(self):
        for name, m in self.model.named_modules():
            if next(m.children(), None) is None:
                self.handles.append(m.register_forward_hook(self._forward(name)))
        for name, p in self.model.named_parameters():
            self.handles.append(p.register_hook(self._backward(name)))
        try:
            yield
        finally:
            for h in self.handles:
                h.remove()
            self.handles = []

    def _forward(self, name):
        def hook(module, args, out):
            if isinstance(out, torch.Tensor) and out.is_floating_point():
                y = out.detach()
                self.log.append((name, y.mean().item(), y.std().item(), (y == 0).float().mean().item()))
        return hook

    def _backward(self, name):
        def hook(grad):
            self.log.append((name, grad.norm().item(), grad.abs().max().item()))
        return hook


class WandbMonitor(Monitor):
    def __init__(self, model, tmp, every, log_freq: int = 1000):
        os.environ.setdefault("WANDB_SILENT", "true")
        import wandb
        self.wandb, self.model, self.log_freq = wandb, model, log_freq
        self.run = wandb.init(mode="offline", dir=str(tmp), project="traindx-overhead")
        self.active = False

    @contextlib.contextmanager
    def on(self):
        self.wandb.watch(self.model, log="all", log_freq=self.log_freq)
        self.active = True
        try:
            yield
        finally:
            self.wandb.unwatch(self.model)
            self.active = False

    def after_step(self, loss):
        if self.active:
            self.wandb.log({"loss": loss.item()})

    def close(self):
        self.run.finish()


def make_monitor(mode: str, model, tmp: Path) -> Monitor:
    if mode == "traindx":
        return TraindxMonitor(model, tmp, None)
    if mode == "traindx_live":
        return TraindxMonitor(model, tmp, None, live=True)
    if mode == "traindx_every1":
        return TraindxMonitor(model, tmp, 1)
    if mode == "traindx_no_gnorm":
        return TraindxMonitor(model, tmp, None, gnorm=False)
    if mode == "naive":
        return NaiveMonitor(model, tmp, None)
    if mode in ("wandb", "wandb_freq25"):
        return WandbMonitor(model, tmp, None, 1000 if mode == "wandb" else 25)
    raise ValueError(mode)


# ---------------------------------------------------------------------------- measurement
def measure(model_name: str, mode: str, pairs: int, warm: int, block: int) -> dict:
    factory = MODELS[model_name][0]
    torch.manual_seed(0)
    model, batch, data = factory()
    g = torch.Generator().manual_seed(1)
    batches = [data(g, batch) for _ in range(8)]
    gpt_style = model_name in LOSS_IN_FORWARD
    opt = (torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.1) if gpt_style
           else torch.optim.Adam(model.parameters(), lr=1e-3))
    counter = [0]
    after = None

    def steps(n: int) -> tuple[float, float]:
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(n):
            x, y = batches[counter[0] % len(batches)]
            counter[0] += 1
            opt.zero_grad(set_to_none=True)
            loss = model(x, y) if gpt_style else F.cross_entropy(model(x), y)
            loss.backward()
            if gpt_style:
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            if after is not None:
                after(loss)
        return (time.perf_counter() - w0) / n, (time.process_time() - c0) / n

    with tempfile.TemporaryDirectory() as tmp:
        try:
            monitor = make_monitor(mode, model, Path(tmp))
        except ImportError as exc:
            return {"skipped": f"{type(exc).__name__}: {exc}"}
        except Exception as exc:  # e.g. a monitor that needs the network
            return {"skipped": f"{type(exc).__name__}: {exc}"}
        after = getattr(monitor, "after_step", None)
        a_wall, a_cpu, b_wall, b_cpu = [], [], [], []
        try:
            for i in range(warm + pairs):
                aw, ac = steps(block)
                with monitor.on():
                    bw, bc = steps(block)
                if i >= warm:
                    a_wall.append(aw), a_cpu.append(ac), b_wall.append(bw), b_cpu.append(bc)
        finally:
            monitor.close()
    med = statistics.median
    pair_ratios = sorted(b / a for a, b in zip(a_wall, b_wall))
    return {
        "step_ms_without": med(a_wall) * 1e3, "step_ms_with": med(b_wall) * 1e3,
        "ratio_wall": med(b_wall) / med(a_wall), "ratio_cpu": med(b_cpu) / med(a_cpu),
        "ratio_wall_mean": sum(b_wall) / sum(a_wall),
        "pair_ratio_min": pair_ratios[0], "pair_ratio_max": pair_ratios[-1],
        "pairs": pairs, "block": block,
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores visible, torch {torch.__version__} "
            f"({torch.get_num_threads()} thread), Python {platform.python_version()}, {platform.system()}")


def table(results: dict, models: list[str], modes: list[str], key: str) -> str:
    head = "| model | step ms (no monitor) | " + " | ".join(modes) + " |"
    lines = [head, "|" + "---|" * (len(modes) + 2)]
    for m in models:
        row = results[m]
        base = [r["step_ms_without"] for r in row.values() if "step_ms_without" in r]
        cells = []
        for mode in modes:
            r = row.get(mode, {})
            cells.append("skipped" if "skipped" in r else
                         f"{r[key]:.3f} ({r['pair_ratio_min']:.2f}–{r['pair_ratio_max']:.2f})"
                         if key == "ratio_wall" else f"{r[key]:.3f}")
        lines.append(f"| {m} | {statistics.median(base):.1f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--pairs", type=int, default=7, help="measured A/B pairs per model and mode")
    ap.add_argument("--warm", type=int, default=2, help="warm-up pairs, not measured")
    ap.add_argument("--block", type=int, default=50, help="steps per block (a multiple of 25)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1: steadier on a shared box)")
    ap.add_argument("--quick", action="store_true", help="3 pairs of 25 steps: a smoke run")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "overhead.json"))
    args = ap.parse_args(argv)
    if args.quick:
        args.pairs, args.warm, args.block = 3, 1, 25
    torch.set_num_threads(args.threads)
    # the random-label data gets memorised; tiny gradients then turn subnormal and CPU float math
    # slows down many-fold, at random moments, which would swamp the comparison
    torch.set_flush_denormal(True)
    models = [m for m in args.models.split(",") if m]
    modes = [m for m in args.modes.split(",") if m]
    results: dict = {}
    for m in models:
        results[m] = {}
        for mode in modes:
            r = measure(m, mode, args.pairs, args.warm, args.block)
            results[m][mode] = r
            shown = r.get("skipped") or (f"wall x{r['ratio_wall']:.3f}  cpu x{r['ratio_cpu']:.3f}  "
                                         f"({r['step_ms_without']:.1f} -> {r['step_ms_with']:.1f} ms/step)")
            print(f"{m:12s} {mode:15s} {shown}", flush=True)
    doc = {"machine": machine(), "time": time.strftime("%Y-%m-%d %H:%M:%S"),
           "settings": {"pairs": args.pairs, "warm": args.warm, "block": args.block,
                        "threads": args.threads},
           "models": {m: MODELS[m][1] for m in models}, "results": results}
    print()
    print(f"Step-time ratio with/without monitor, wall clock, median of {args.pairs} interleaved "
          f"pairs of {args.block}-step blocks (min–max of the pair ratios). Machine: {doc['machine']}")
    print(table(results, models, modes, "ratio_wall"))
    print("\nSame, process CPU time (steadier on a shared machine):")
    print(table(results, models, modes, "ratio_cpu"))
    skipped = {f"{mode}: {r['skipped']}" for row in results.values() for mode, r in row.items()
               if "skipped" in r}
    for s in sorted(skipped):
        print(f"skipped {s}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1))
    print(f"\nwritten: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
