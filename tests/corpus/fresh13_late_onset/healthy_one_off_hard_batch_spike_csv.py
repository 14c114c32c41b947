# expect:
# allow:
# forbid: *
# evidence: one outlier batch at step 250: train loss 17.85 at step 250, back to 0.09 at step 251; val_loss 0.161 (ep 3) -> 0.165 (ep 4) -> 0.131 at the end, val_acc 0.967 (chance 0.25)
# native-log: steps.csv
# log-expect:
# log-allow:
"""Wine-quality-like synthetic tabular classification, Adam, batch 32. At step 250 the
loader yields one batch of rare hard examples (heavy-tailed outliers from a corrupted
shard). The train loss spikes for that single step and recovers within a few steps;
the held-out metric is unaffected."""
import os, csv, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(12); np.random.seed(12); random.seed(12)
torch.set_num_threads(1)
X, y = make_classification(n_samples=2400, n_features=16, n_informative=10, n_classes=4, n_clusters_per_class=1,
                           class_sep=1.5, random_state=12)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=12, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)
model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
f = open(os.path.join(log_dir, "steps.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["step", "loss", "val_loss", "lr"])
g = torch.Generator().manual_seed(0)
hard_x = torch.randn(32, 16, generator=g) * 6.0
hard_y = torch.randint(0, 4, (32,), generator=g)
n = len(Xtr); step = 0
for ep in range(12):
    model.train(); perm = torch.randperm(n)
    for i in range(0, n, 32):
        idx = perm[i:i + 32]
        xb, yb = (hard_x, hard_y) if step == 249 else (Xtr[idx], ytr[idx])
        loss = loss_fn(model(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        w.writerow([step, f"{loss.item():.5g}", "", 1e-3])
        if 246 <= step <= 256:
            print(f"  step {step} loss {loss.item():.4f}")
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = loss_fn(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    w.writerow([step, f"{loss.item():.5g}", f"{vl:.5g}", 1e-3])
    print(f"epoch {ep:2d} step {step} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
with torch.no_grad():
    tl = loss_fn(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.25}))
