# Digits CNN, MLflow-style file-store logging written by hand. The optimizer is built from the first
# model instance; a later "model = build_model(cfg)" (meant to re-seed) replaces the model, so the
# optimizer steps tensors nobody uses and the trained model never changes.
# expect: non_convergence
# allow: high_bias, learning_rate_too_low
# forbid: *
# evidence: optimizer holds the replaced model's parameters: trained model never changes, train_loss 2.309 / val_loss 2.309 (chance loss 2.303), val_acc 0.093 (chance 0.10) after 10 epochs; --control (no re-assignment) val_acc 0.989, val_loss 0.064
# control: --control
# native-log: mlruns
# log-expect: non_convergence
# log-allow: high_bias, learning_rate_too_low
import os, sys, json, time, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

cfg = {"lr": 2e-3, "epochs": 10, "batch_size": 32, "channels": 16, "seed": 3}
torch.set_num_threads(1)


class MlflowLite:
    def __init__(self, root, run_id="3f2a9c0d5b7e41e8a1c2d3e4f5a6b7c8"):
        self.dir = os.path.join(root, "mlruns", "0", run_id)
        for s in ("metrics", "params", "tags"):
            os.makedirs(os.path.join(self.dir, s), exist_ok=True)
        with open(os.path.join(root, "mlruns", "0", "meta.yaml"), "w") as f:
            f.write("experiment_id: '0'\nname: Default\nlifecycle_stage: active\n")

    def log_params(self, d):
        for k, v in d.items():
            open(os.path.join(self.dir, "params", k), "w").write(str(v))

    def log_metric(self, k, v, step):
        with open(os.path.join(self.dir, "metrics", k), "a") as f:
            f.write(f"{int(time.time() * 1000)} {v} {step}\n")


def build_model(cfg):
    c = cfg["channels"]
    return nn.Sequential(nn.Conv2d(1, c, 3, padding=1), nn.ReLU(), nn.Conv2d(c, 2 * c, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(2 * c * 16, 64), nn.ReLU(), nn.Linear(64, 10))


torch.manual_seed(cfg["seed"])
X, y = load_digits(return_X_y=True)
X = (X.reshape(-1, 1, 8, 8) / 16.0 - 0.3) / 0.4
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=cfg["seed"], stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

model = build_model(cfg)
optimizer = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
if "--control" not in sys.argv:
    torch.manual_seed(cfg["seed"])
    model = build_model(cfg)                    # BUG: optimizer still holds the old model's parameters
ml = MlflowLite(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp())
ml.log_params(cfg)
step = 0
for epoch in range(cfg["epochs"]):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(perm), cfg["batch_size"]):
        b = perm[i:i + cfg["batch_size"]]
        loss = F.cross_entropy(model(Xtr[b]), ytr[b])
        optimizer.zero_grad(); loss.backward(); optimizer.step()
        tot += loss.item() * len(b); step += 1
        if step % 10 == 0:
            ml.log_metric("train_loss", loss.item(), step)
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    ml.log_metric("val_loss", vl, step); ml.log_metric("val_accuracy", va, step)
    print(f"Epoch {epoch}: train_loss={tot/len(Xtr):.4f} val_loss={vl:.4f} val_acc={va:.4f}")
with torch.no_grad():
    tl = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1, "chance_loss": round(float(np.log(10)), 4)}))
