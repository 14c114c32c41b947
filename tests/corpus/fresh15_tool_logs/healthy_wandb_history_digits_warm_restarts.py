"""Digits MLP, SGD+momentum with cosine annealing WARM RESTARTS (T_0=4 epochs, T_mult=1: three cycles);
per-step train/loss and train/lr plus per-epoch val/loss, val/acc logged to a W&B offline run's
wandb-history.jsonl. The loss jumps up at each restart and comes back down - a look-alike.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy run: val_acc 0.978 (chance 0.10), val_loss 0.143; at the first restart (epoch 4, lr back to 0.1) val_loss jumps 0.154 -> 0.459 and train loss 0.031 -> 0.093, then both recover within 2 epochs; later restarts barely show
# native-log: wandb/offline-run-20250314_101532-k3x9q2ab
# log-expect:
# log-allow:
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

# ---- W&B offline run layout: wandb/offline-run-<date>-<id>/files/{wandb-history.jsonl,wandb-summary.json,config.yaml} ----
RUN_NAME = "offline-run-20250314_101532-k3x9q2ab"
FILES = os.path.join(LOG_DIR, "wandb", RUN_NAME, "files"); os.makedirs(FILES, exist_ok=True)
T0 = time.time(); _step = 0; _summary = {}
def wandb_log(d):
    global _step
    rec = dict(d)
    now = time.time(); rec.update({"_step": _step, "_runtime": round(now - T0, 6), "_timestamp": now})
    with open(os.path.join(FILES, "wandb-history.jsonl"), "a") as f: f.write(json.dumps(rec) + "\n")
    _summary.update(rec); _step += 1
def wandb_config(cfg):
    with open(os.path.join(FILES, "config.yaml"), "w") as f:
        f.write("wandb_version: 1\n\n_wandb:\n  desc: null\n  value:\n    python_version: 3.11.8\n    cli_version: 0.16.6\n    framework: torch\n    is_jupyter_run: false\n")
        for k, v in cfg.items(): f.write(f"{k}:\n  desc: null\n  value: {v}\n")
def wandb_finish():
    _summary["_wandb"] = {"runtime": int(time.time() - T0)}
    with open(os.path.join(FILES, "wandb-summary.json"), "w") as f: json.dump(_summary, f)

X, y = load_digits(return_X_y=True)
X = X / 16.0
mu, sd = X.mean(0), X.std(0) + 1e-6; X = (X - mu) / sd
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=3, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
cfg = dict(lr=0.1, momentum=0.9, weight_decay=5e-4, batch_size=32, epochs=12, T_0=4, T_mult=1, hidden=128)
wandb_config(cfg)
model = nn.Sequential(nn.Linear(64, cfg["hidden"]), nn.ReLU(), nn.Linear(cfg["hidden"], cfg["hidden"]), nn.ReLU(), nn.Linear(cfg["hidden"], 10))
opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=cfg["momentum"], weight_decay=cfg["weight_decay"])
nb = (len(Xtr) + cfg["batch_size"] - 1) // cfg["batch_size"]
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=cfg["T_0"] * nb, T_mult=cfg["T_mult"])
gstep = 0
for epoch in range(cfg["epochs"]):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), cfg["batch_size"]):
        idx = perm[i:i + cfg["batch_size"]]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        if gstep % 10 == 0:
            wandb_log({"train/loss": loss.item(), "train/lr": opt.param_groups[0]["lr"], "epoch": epoch, "trainer/global_step": gstep})
        sched.step(); gstep += 1; tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    wandb_log({"val/loss": vl, "val/acc": va, "epoch": epoch, "trainer/global_step": gstep})
    print(f"epoch {epoch:2d} lr {opt.param_groups[0]['lr']:.4f} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
wandb_finish()
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "chance_acc": 0.1}))
