"""Digits MLP (2x512) trained 100 full-batch Adam epochs on a 60-image "debug" subset that was
left in place; W&B offline run history with train/loss, val/loss, val/acc. Validation loss bottoms
out early and then climbs while the training loss keeps falling to ~0.
--control trains on the full 1257-image training split (the only change).
"""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: control (full 1257-image train split) reaches val_acc 0.972, val_loss 0.118 (still at its best at the last epoch); planted (60 images) reaches train_acc 1.00, train_loss 0.0012 while val_loss bottoms at 0.573 (epoch 34) and climbs to 0.690, val_acc 0.835 (chance 0.10)
# control: --control
# native-log: wandb/offline-run-20250302_184410-7fz1mq0c
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

# ---- W&B offline run layout: wandb/offline-run-<date>-<id>/files/{wandb-history.jsonl,wandb-summary.json,config.yaml} ----
RUN_NAME = "offline-run-20250302_184410-7fz1mq0c"
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
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=4, stratify=y)
if not CONTROL:
    Xtr, ytr = Xtr[:60], ytr[:60]          # DEBUG subset forgotten
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
cfg = dict(lr=1e-3, epochs=100, hidden=512, n_train=len(Xtr), optimizer="Adam")
wandb_config(cfg)
model = nn.Sequential(nn.Linear(64, cfg["hidden"]), nn.ReLU(), nn.Linear(cfg["hidden"], cfg["hidden"]), nn.ReLU(), nn.Linear(cfg["hidden"], 10))
opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
best = (9e9, -1)
for epoch in range(cfg["epochs"]):
    model.train()
    out_tr = model(Xtr); loss = F.cross_entropy(out_tr, ytr)
    tra = (out_tr.argmax(1) == ytr).float().mean().item()   # accuracy of this (pre-step) pass
    opt.zero_grad(); loss.backward(); opt.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    best = min(best, (vl, epoch))
    wandb_log({"train/loss": loss.item(), "train/acc": tra, "val/loss": vl, "val/acc": va, "epoch": epoch})
    if epoch % 10 == 0 or epoch == cfg["epochs"] - 1:
        print(f"epoch {epoch:3d} train_loss {loss.item():.4f} train_acc {tra:.3f} val_loss {vl:.4f} val_acc {va:.4f}")
wandb_finish()
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr), ytr).item()
print(f"best val_loss {best[0]:.4f} at epoch {best[1]}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 5), "train_acc": round(tra, 4), "best_val_loss": round(best[0], 4), "chance_acc": 0.1}))
