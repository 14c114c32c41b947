"""RMSprop (momentum 0.9) with a triangular2 CyclicLR on breast-cancer tabular data.
Per-step loss oscillates with the lr cycle while val accuracy keeps rising. Logs JSON lines
(one record per step with lr and loss, one per epoch with val metrics)."""
# expect:
# allow:
# forbid: *
# evidence: CyclicLR 1e-4..3e-3 (triangular2), RMSprop momentum=0.9: epoch train loss swings with the cycle (0.39 -> 0.62 at the lr peak -> 0.07 -> 0.10 ...) while val_loss falls 0.20 -> 0.063; final val_acc 0.971 (majority 0.63)
# native-log: cyclic_rmsprop.jsonl
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=3, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)

model = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.RMSprop(model.parameters(), lr=1e-4, momentum=0.9, alpha=0.99, weight_decay=1e-3)
BS = 16; spe = (len(Xtr) + BS - 1) // BS
sched = torch.optim.lr_scheduler.CyclicLR(opt, base_lr=1e-4, max_lr=3e-3, step_size_up=2 * spe, mode="triangular2", cycle_momentum=False)
log = open(os.path.join(LOG_DIR, "cyclic_rmsprop.jsonl"), "w")
step = 0
majority = max(yva.mean().item(), 1 - yva.mean().item())
for epoch in range(12):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        log.write(json.dumps({"step": step, "epoch": epoch, "lr": opt.param_groups[0]["lr"], "train_loss": round(loss.item(), 5)}) + "\n")
        sched.step(); step += 1; tot += loss.item() * len(idx)
    tr = tot / len(Xtr)
    model.eval()
    with torch.no_grad():
        lo = model(Xva).squeeze(1); vl = F.binary_cross_entropy_with_logits(lo, yva).item()
        va = ((lo > 0).float() == yva).float().mean().item()
    log.write(json.dumps({"step": step, "epoch": epoch, "val_loss": round(vl, 5), "val_acc": round(va, 4)}) + "\n"); log.flush()
    print(f"epoch {epoch:2d} lr {opt.param_groups[0]['lr']:.5f} train_loss {tr:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tr, 4), "chance_acc": round(majority, 4)}))
