"""Next-hour electricity load forecasting from the previous 48 hours + calendar
features.  HF accelerate loop with gradient accumulation (accelerator.accumulate),
warm-up + cosine lr, weight decay, best-val checkpoint kept in memory.
Metrics are appended to metrics.jsonl in $CORPUS_LOG_DIR."""
# expect:
# allow:
# forbid: *
# evidence: best val_mse 0.040 on standardised load (target var 1.11, persistence baseline 0.134); train_mse 0.039
# native-log: metrics.jsonl
# log-expect:
# log-allow:
import copy
import json
import math
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
from accelerate import Accelerator
from accelerate.utils import set_seed

torch.set_num_threads(1)
WINDOW = 48
CFG = dict(lr=3e-3, epochs=10, batch=32, accum=2, warmup=30, wd=1e-4)


def synth_load(hours=6000, seed=12):
    r = np.random.default_rng(seed)
    t = np.arange(hours)
    daily = np.sin(2 * np.pi * t / 24 - 1.2) + 0.4 * np.sin(4 * np.pi * t / 24)
    weekly = np.where((t // 24) % 7 >= 5, -0.6, 0.0)
    temp = 10 + 8 * np.sin(2 * np.pi * t / (24 * 60)) + np.cumsum(r.normal(0, 0.15, hours))
    load = 3 + daily + weekly + 0.05 * (temp - 10) ** 2 / 8 + r.normal(0, 0.15, hours)
    return load.astype(np.float32), t


def windows(load, t):
    X, y = [], []
    for i in range(WINDOW, len(load)):
        hour, dow = t[i] % 24, (t[i] // 24) % 7
        cal = [math.sin(2 * math.pi * hour / 24), math.cos(2 * math.pi * hour / 24), float(dow >= 5)]
        X.append(np.concatenate([load[i - WINDOW:i], cal]))
        y.append(load[i])
    return np.array(X, np.float32), np.array(y, np.float32)


def main():
    set_seed(12)
    accelerator = Accelerator(cpu=True, gradient_accumulation_steps=CFG["accum"])
    load, t = synth_load()
    mu, sd = load[:4500].mean(), load[:4500].std()
    load = (load - mu) / sd
    X, y = windows(load, t)
    split = 4400
    tr = torch.utils.data.TensorDataset(torch.tensor(X[:split]), torch.tensor(y[:split]))
    xv, yv = torch.tensor(X[split:]), torch.tensor(y[split:])
    model = nn.Sequential(nn.Linear(WINDOW + 3, 96), nn.GELU(), nn.Linear(96, 48), nn.GELU(), nn.Linear(48, 1))
    opt = torch.optim.AdamW(model.parameters(), lr=CFG["lr"], weight_decay=CFG["wd"])
    dl = torch.utils.data.DataLoader(tr, batch_size=CFG["batch"], shuffle=True)
    total = CFG["epochs"] * len(dl) // CFG["accum"]
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / CFG["warmup"], 0.5 * (1 + math.cos(math.pi * min(s, total) / total))))
    model, opt, dl, sched = accelerator.prepare(model, opt, dl, sched)
    mse = nn.MSELoss()
    logf = open(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "metrics.jsonl"), "w")
    best, best_state, step = float("inf"), None, 0
    for epoch in range(CFG["epochs"]):
        model.train()
        run, n = 0.0, 0
        for xb, yb in dl:
            with accelerator.accumulate(model):
                loss = mse(model(xb).squeeze(-1), yb)
                accelerator.backward(loss)
                opt.step()
                sched.step()
                opt.zero_grad()
            run += loss.item() * len(yb)
            n += len(yb)
            step += 1
            if step % 25 == 0:
                logf.write(json.dumps({"step": step, "loss": loss.item(), "lr": opt.param_groups[0]["lr"]}) + "\n")
        model.eval()
        with torch.no_grad():
            val = mse(model(xv).squeeze(-1), yv).item()
        logf.write(json.dumps({"step": step, "epoch": epoch, "train_mse": run / n, "val_mse": val}) + "\n")
        if val < best:
            best, best_state = val, copy.deepcopy(accelerator.unwrap_model(model).state_dict())
    logf.close()
    accelerator.unwrap_model(model).load_state_dict(best_state)
    persistence = float(((xv[:, WINDOW - 1] - yv) ** 2).mean())
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(best, 4), "train_mse": round(run / n, 4),
                                         "target_var": round(float(yv.var()), 4),
                                         "persistence_mse": round(persistence, 4)}))


if __name__ == "__main__":
    main()
