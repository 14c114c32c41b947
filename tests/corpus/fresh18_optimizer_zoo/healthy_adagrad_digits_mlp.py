"""Adagrad on an MLP for sklearn digits. Adagrad's per-parameter effective step
lr/sqrt(sum g^2) shrinks steadily over training -- that is by design, not a too-low lr.
Writes a per-epoch CSV (epoch, step, lr, effective step, losses, accuracy)."""
# expect:
# allow:
# forbid: *
# evidence: Adagrad lr=0.02, 15 epochs: val_acc 0.980 (chance 0.10), val_loss 0.170 -> 0.070 still falling at the end, train_loss 0.0032; the accumulator-scaled step lr/sqrt(mean G) shrinks every epoch (0.389 -> 0.296) by design
# native-log: adagrad_metrics.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, csv
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.Adagrad(model.parameters(), lr=0.02)

def effective_step():
    vals = []
    for g in opt.param_groups:
        for p in g["params"]:
            st = opt.state.get(p)
            if st and "sum" in st:
                vals.append(g["lr"] / (st["sum"].mean().sqrt().item() + g["eps"]))
    return float(np.mean(vals)) if vals else opt.param_groups[0]["lr"]

f = open(os.path.join(LOG_DIR, "adagrad_metrics.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "step", "lr", "eff_step", "train_loss", "val_loss", "val_acc"])
step = 0
for epoch in range(15):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        tot += loss.item() * len(idx)
    tr_loss = tot / len(Xtr)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    es = effective_step()
    w.writerow([epoch, step, opt.param_groups[0]["lr"], f"{es:.6g}", f"{tr_loss:.5f}", f"{vl:.5f}", f"{va:.4f}"]); f.flush()
    print(f"epoch {epoch:2d} train_loss {tr_loss:.4f} val_loss {vl:.4f} val_acc {va:.3f} eff_step {es:.5f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tr_loss, 4), "chance_acc": 0.1, "final_eff_step": round(es, 6)}))
