# expect:
# allow:
# forbid: *
# evidence: phase 1 (head only) val_acc 0.729 at epoch 9; unfreezing at epoch 10 (Adam 3e-4) keeps improving; ends val_loss 0.216 val_acc 0.948 on digits 5-9 (chance 0.20), train_loss 0.188 (no gap)
# native-log: finetune_log.csv
# log-expect:
# log-allow:
"""Transfer learning on digits: a small MLP body is pretrained on digits 0-4, then
fine-tuned on digits 5-9. Phase 1 (epochs 0-9) trains only a new head with Adam 3e-3;
phase 2 (from epoch 10) unfreezes the body at Adam 3e-4. The train loss jumps a
little at the switch (new optimizer state) and then keeps improving."""
import os, csv, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(16); np.random.seed(16); random.seed(16)
torch.set_num_threads(1)
X, y = load_digits(return_X_y=True)
X = torch.tensor(X / 16.0, dtype=torch.float32); y = torch.tensor(y)
src = y < 5; tgt = ~src
Xs, ys = X[src], y[src]
Xt, yt = X[tgt], y[tgt] - 5
itr, iva = train_test_split(np.arange(len(Xt)), test_size=0.3, random_state=16, stratify=yt.numpy())
Xtr, ytr, Xva, yva = Xt[itr], yt[itr], Xt[iva], yt[iva]
body = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
loss_fn = nn.CrossEntropyLoss()
pre = nn.Sequential(body, nn.Linear(64, 5)); popt = torch.optim.Adam(pre.parameters(), lr=2e-3)
for it in range(250):
    idx = torch.randint(0, len(Xs), (64,))
    l = loss_fn(pre(Xs[idx]), ys[idx]); popt.zero_grad(); l.backward(); popt.step()
head = nn.Linear(64, 5); model = nn.Sequential(body, head)
for p in body.parameters(): p.requires_grad_(False)
opt = torch.optim.Adam(head.parameters(), lr=3e-3)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
f = open(os.path.join(log_dir, "finetune_log.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "step", "loss", "val_loss", "val_acc", "lr"])
n = len(Xtr); step = 0
for ep in range(25):
    if ep == 10:
        for p in body.parameters(): p.requires_grad_(True)
        opt = torch.optim.Adam(model.parameters(), lr=3e-4)
    model.train(); perm = torch.randperm(n); tot = 0.0
    for i in range(0, n, 32):
        idx = perm[i:i + 32]
        loss = loss_fn(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1; tot += loss.item() * len(idx)
        w.writerow([ep, step, f"{loss.item():.5g}", "", "", opt.param_groups[0]["lr"]])
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = loss_fn(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    w.writerow([ep, step, f"{loss.item():.5g}", f"{vl:.5g}", f"{va:.4f}", opt.param_groups[0]["lr"]])
    print(f"epoch {ep:2d} lr {opt.param_groups[0]['lr']:.0e} train_loss {tot / n:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
with torch.no_grad():
    tl = loss_fn(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.2}))
