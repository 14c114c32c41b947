"""The training loop of `traindx train`, recorded by the same Recorder as `traindx run`.

Losses go through torch.nn.functional, so the recorder captures them without help: the train loss
with gradients on, the validation loss under no_grad with model.eval(). Final metrics (train, val,
test: loss, accuracy, precision, recall, confusion matrix) are computed with plain tensor ops,
which the recorder does not capture, and the test numbers are logged explicitly.
"""
from __future__ import annotations

import copy
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
import torch.nn.functional as F

from ..record import Recorder
from . import data as datamod
from .config import dump
from .models import build

Progress = Callable[[int, int, dict], None]  # (epoch done, epochs, latest numbers)


@dataclass
class Result:
    path: Path
    config: dict
    metrics: dict[str, Any]
    history: list[dict] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        keys = ("train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc")
        return {k: self.metrics.get(k) for k in keys}


def make_optimizer(params, t: dict) -> torch.optim.Optimizer:
    kind, lr, wd = t["optimizer"], t["lr"], t["weight_decay"]
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=wd)
    if kind == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=t["momentum"], weight_decay=wd)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=t["alpha"], eps=t["eps"], weight_decay=wd)
    return torch.optim.Adam(params, lr=lr, betas=tuple(t["betas"]), eps=t["eps"], weight_decay=wd)


def make_scheduler(opt, t: dict):
    if t["schedule"] == "step":
        return torch.optim.lr_scheduler.StepLR(opt, step_size=t["step_size"], gamma=t["gamma"])
    if t["schedule"] == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=t["epochs"])
    if t["schedule"] == "exponential":
        return torch.optim.lr_scheduler.ExponentialLR(opt, gamma=t["gamma"])
    return None


def prepare(cfg: dict, data: datamod.Data | None = None) -> datamod.Data:
    """The normalised data set for a config (`data`: raw splits made earlier, e.g. one k-fold)."""
    raw = data if data is not None else datamod.make(cfg)
    if data is None and cfg["data"]["n_train"] < len(raw.x_train):
        raw = raw.subset(cfg["data"]["n_train"])
    return datamod.normalize(raw, cfg["data"]["normalize"])


def _plain_metrics(model, x, y, task: str, n_classes: int, batch: int = 4096) -> dict[str, Any]:
    """Loss and classification metrics with plain tensor ops (not captured by the recorder)."""
    model.eval()
    outs = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            outs.append(model(x[i:i + batch]))
    model.train()
    if not outs:
        return {}
    out = torch.cat(outs)
    if task == "regression":
        return {"loss": float(((out.squeeze(-1) - y) ** 2).mean())}
    logp = out.float().log_softmax(1)
    loss = float(-logp.gather(1, y[:, None]).mean())
    pred = out.argmax(1)
    cm = torch.zeros(n_classes, n_classes, dtype=torch.long)
    cm.index_put_((y, pred), torch.ones_like(y), accumulate=True)
    tp = cm.diag().double()
    precision = (tp / cm.sum(0).clamp_min(1)).tolist()
    recall = (tp / cm.sum(1).clamp_min(1)).tolist()
    present = (cm.sum(1) > 0).numpy()
    return {"loss": loss, "acc": float((pred == y).double().mean()),
            "precision": precision, "recall": recall,
            "macro_precision": float(np.mean(np.array(precision)[present])) if present.any() else float("nan"),
            "macro_recall": float(np.mean(np.array(recall)[present])) if present.any() else float("nan"),
            "confusion": cm.tolist()}


def _finite(x: float) -> bool:
    return x is not None and math.isfinite(x)


def train(cfg: dict, out: str | Path, *, data: datamod.Data | None = None,
          progress: Progress | None = None, every: int | None = None) -> Result:
    """Train the model a config describes, recorded into the run directory `out`."""
    t, m = cfg["training"], cfg["model"]
    torch.manual_seed(cfg["seed"])
    ds = prepare(cfg, data)
    classify = ds.task == "classification"
    d_out = ds.n_classes if classify else 1
    model = build(cfg, ds.input_shape, d_out)
    xtr, xva, xte = (torch.from_numpy(a) for a in (ds.x_train, ds.x_val, ds.x_test))
    ytr, yva, yte = (torch.from_numpy(a) for a in (ds.y_train, ds.y_val, ds.y_test))
    weight = None
    if classify and cfg["data"]["class_weights"] == "balanced":
        weight = torch.from_numpy(datamod.class_weights(ds.y_train, ds.n_classes))
    opt = make_optimizer(model.parameters(), t)
    sched = make_scheduler(opt, t)
    rng = np.random.default_rng([cfg["seed"], 3])
    noise = cfg["data"]["augment_noise"]
    gen = torch.Generator().manual_seed(cfg["seed"] + 1)

    def loss_fn(pred, y, eval_mode: bool = False):
        if classify:
            return F.cross_entropy(pred, y, weight=None if eval_mode else weight)
        return F.mse_loss(pred.squeeze(-1), y)

    out = Path(out)
    rec = Recorder(out, every=every or cfg["record"]["every"], models=[model],
                   meta={"trainer": "traindx train", "name": cfg.get("name", ""), "config": cfg})
    if cfg["data"]["bayes_error"] is not None:
        rec.writer.event("context", bayes_error=cfg["data"]["bayes_error"])
    history: list[dict] = []
    best = (float("inf"), None, 0)  # (val loss, state, epoch)
    stopped_early, diverged = False, False
    started = time.monotonic()
    status = "completed"
    rec.start()
    try:
        for epoch in range(1, t["epochs"] + 1):
            if classify and cfg["data"]["oversample"]:
                order = datamod.oversample_index(ds.y_train, ds.n_classes, rng)
            else:
                order = rng.permutation(len(xtr))
            losses = []
            for i in range(0, len(order), t["batch_size"]):
                idx = torch.from_numpy(order[i:i + t["batch_size"]])
                if classify and m["batch_norm"] and len(idx) < 2:
                    continue  # batch norm needs two examples
                xb, yb = xtr[idx], ytr[idx]
                if noise > 0:
                    xb = xb + noise * torch.randn(xb.shape, generator=gen)
                loss = loss_fn(model(xb), yb)
                total = loss
                if t["l1"] > 0:
                    total = loss + t["l1"] * sum(p.abs().sum() for n, p in model.named_parameters()
                                                 if n.endswith("weight"))
                opt.zero_grad(set_to_none=True)
                total.backward()
                if t["grad_clip"] > 0:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), t["grad_clip"])
                opt.step()
                losses.append(loss.detach())
            if sched is not None:
                sched.step()
            model.eval()
            with torch.no_grad():
                pred = model(xva)
                val_loss = float(loss_fn(pred, yva, eval_mode=True))
                val_acc = float((pred.argmax(1) == yva).double().mean()) if classify else None
            model.train()
            train_loss = float(torch.stack(losses).mean()) if losses else float("nan")
            row = {"epoch": epoch, "train_loss": train_loss, "val_loss": val_loss, "val_acc": val_acc,
                   "lr": opt.param_groups[0]["lr"]}
            history.append(row)
            if progress is not None:
                progress(epoch, t["epochs"], row)
            if not (_finite(train_loss) and _finite(val_loss)):
                diverged = True
                break
            if val_loss < best[0]:
                best = (val_loss, copy.deepcopy(model.state_dict()) if t["early_stopping"] else None, epoch)
            elif t["early_stopping"] and epoch - best[2] >= t["early_stopping"]:
                stopped_early = True
                break
        if stopped_early and best[1] is not None:
            model.load_state_dict(best[1])
        final = {s: _plain_metrics(model, x, y, ds.task, ds.n_classes)
                 for s, x, y in (("train", xtr, ytr), ("val", xva, yva), ("test", xte, yte))}
        if final["test"]:
            rec.log(None, test_loss=final["test"]["loss"],
                    **({"test_acc": final["test"]["acc"]} if classify else {}))
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    except Exception:
        status = "exception"
        raise
    finally:
        rec.stop(status=status, exit_code=0 if status == "completed" else 1)
    metrics: dict[str, Any] = {"task": ds.task, "epochs_run": len(history), "steps": rec.step,
                               "early_stopped": stopped_early, "best_epoch": best[2],
                               "diverged": diverged, "seconds": round(time.monotonic() - started, 3),
                               "n_train": len(xtr)}
    for split, vals in final.items():
        for k, v in vals.items():
            metrics[f"{split}_{k}"] = v
    result = Result(out, cfg, metrics, history)
    _save(result)
    return result


def _save(result: Result) -> None:
    """config.yaml and metrics.json next to the recorder's files (the reader ignores them)."""
    try:
        (result.path / "config.yaml").write_text(dump(result.config), encoding="utf-8")
        (result.path / "metrics.json").write_text(
            json.dumps({"metrics": result.metrics, "history": result.history}, default=float) + "\n",
            encoding="utf-8")
    except OSError:
        pass


def diagnose(result: Result, rules_file=None, ctx: dict | None = None):
    """(run, diagnosis, plan) for a finished training."""
    from ..analysis import analyse
    from ..runs import load_runs
    return analyse(load_runs(result.path)[0], ctx or {}, rules_file)


def problems(diag, min_rank: int = 1) -> list[str]:
    """Problem ids at warning (1) or error (2) severity, in story order, without duplicates."""
    return list(dict.fromkeys(f.problem for f in diag.findings if f.severity.rank >= min_rank))
