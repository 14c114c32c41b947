"""Small CNN on 8x8 digits, SGD(momentum 0.9) with lr=3e-4 (copied from an Adam recipe; SGD
needs ~2e-2 here). The native log is a W&B UI "Export CSV":
columns 'Step', '<run> - train/loss', '<run> - train/loss__MIN', '<run> - train/loss__MAX'
(smoothed-bucket min/max), plus the same for val/acc, where val only has values on some rows."""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (lr=2e-2) reaches val_acc 0.98, val_loss 0.062 in 8 epochs; planted (lr=3e-4) after the same 8 epochs val_acc 0.23, train loss 2.277 (start ~2.30), creeping down very slowly
# control: --control
# native-log: wandb_export_2026-03-02T11_04_51.csv
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
LR = 2e-2 if "--control" in sys.argv else 3e-4
RUN = "glowing-sea-14"
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
X, y = load_digits(return_X_y=True)
X = ((X / 16.0 - 0.3) / 0.4).reshape(-1, 1, 8, 8)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 16, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
rows = []; step = 0; buf = []
for ep in range(8):
    model.train(); perm = torch.randperm(len(Xtr)); tot = n = 0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = nn.functional.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        tot += loss.item() * len(idx); n += len(idx); buf.append(loss.item())
        if step % 8 == 0:
            rows.append([step, np.mean(buf), min(buf), max(buf), "", "", ""]); buf = []
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = nn.functional.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    rows.append([step, "", "", "", va, va, va])
tl = tot / n
fn = os.path.join(logdir, "wandb_export_2026-03-02T11_04_51.csv")
with open(fn, "w") as f:
    f.write(",".join(f'"{c}"' for c in ["Step", f"{RUN} - train/loss", f"{RUN} - train/loss__MIN", f"{RUN} - train/loss__MAX",
                                           f"{RUN} - val/acc", f"{RUN} - val/acc__MIN", f"{RUN} - val/acc__MAX"]) + "\n")
    for r in rows:
        f.write(",".join(f'"{v:.6g}"' if isinstance(v, float) else f'"{v}"' for v in r) + "\n")
print(f"lr {LR} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1, "lr": LR}))
