# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: planted: epoch 0 train_loss 0.444, val label acc 0.898, then loss/weights NaN from epoch 3 on (first_nan_epoch 3), val label acc falls to 0.604 (= majority); control (p clamped to [1e-7,1-1e-7]) never NaN, val label acc 0.982, val_loss 0.068 (max |logit| 50: sigmoid saturates to 1.0 in float32 without the clamp)
# control: --control
# native-log: multilabel_log.jsonl
# log-expect: non_finite
# log-allow: non_convergence
"""PLANTED: multi-label digit attributes (even / >4 / prime / has a closed loop / is 0-or-1) with a
hand-written binary cross-entropy on sigmoid probabilities: -(y log p + (1-y) log(1-p)). Once the
net is confident, sigmoid rounds to exactly 1.0 in float32, log(1-p) = -inf, 0 * -inf = NaN and
the weights turn NaN. Control: the same loss with p clamped to [1e-7, 1-1e-7].
Writes a JSON-lines log of epoch metrics."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, d = load_digits(return_X_y=True)
X = torch.tensor(X / 16.0, dtype=torch.float32)
attrs = np.stack([d % 2 == 0, d > 4, np.isin(d, [2, 3, 5, 7]), np.isin(d, [0, 6, 8, 9]), d <= 1], 1)
Y = torch.tensor(attrs, dtype=torch.float32)
perm = torch.randperm(len(X)); tr, va = perm[:1400], perm[1400:]

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 5))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
def my_bce(logits, y):
    p = torch.sigmoid(logits)
    if CONTROL:
        p = p.clamp(1e-7, 1 - 1e-7)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()

log = open(os.path.join(LOG_DIR, "multilabel_log.jsonl"), "w")
first_nan = None
for ep in range(20):
    model.train(); idx = tr[torch.randperm(len(tr))]; tl = []
    for b in idx.split(64):
        loss = my_bce(model(X[b]), Y[b]); opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    model.eval()
    with torch.no_grad():
        lv = model(X[va]); vl = F.binary_cross_entropy_with_logits(lv, Y[va]).item()
        acc = ((lv > 0).float() == Y[va]).float().mean().item()
        maxlogit = lv.abs().max().item()
    rec = {"epoch": ep, "train_loss": float(np.mean(tl)), "val_loss": vl, "val_label_acc": acc, "lr": 1e-2}
    log.write(json.dumps(rec) + "\n")
    newly_nan = first_nan is None and not np.isfinite(rec["train_loss"])
    if newly_nan: first_nan = ep
    if ep % 5 == 0 or ep == 19 or newly_nan:
        print(f"epoch {ep} train_loss {rec['train_loss']:.4f} val_loss {vl:.4f} val_label_acc {acc:.4f} max|logit| {maxlogit:.1f}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_label_acc": round(acc, 4), "train_loss": rec["train_loss"],
      "first_nan_epoch": first_nan, "majority_label_acc": round(max(Y[va].mean().item(), 1 - Y[va].mean().item()), 4)}))
