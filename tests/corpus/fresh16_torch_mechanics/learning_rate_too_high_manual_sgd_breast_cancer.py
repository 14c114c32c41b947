# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units, high_bias
# forbid: *
# evidence: control (lr=0.05) val_acc 0.953, val_loss 0.097; planted (lr=3.0) train loss spikes to 1.3e2 within 10 steps and epoch-mean 3.8e4 by epoch 2, update/weight 0.33 at the end of epoch 0, then collapses to the majority class: val_acc 0.626 (= majority), val_loss 0.703
# control: --control
# native-log: sgd_steps.jsonl
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, high_bias
"""Manual SGD (no optimiser object, `p -= lr * p.grad` under no_grad) on standardised
breast-cancer features with a 3-layer MLP. The lr was copied from a normalised-gradient recipe: 3.0
instead of 0.05. --control uses lr=0.05."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
lr = 0.05 if CONTROL else 3.0
log = open(os.path.join(LOG_DIR, "sgd_steps.jsonl"), "w"); step = 0
for ep in range(25):
    perm = torch.randperm(len(Xtr)); tot = 0.0; n = 0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        model.zero_grad(); loss.backward()
        with torch.no_grad():
            upd = sum(((lr * p.grad) ** 2).sum() for p in model.parameters()).sqrt().item()
            wn = sum((p ** 2).sum() for p in model.parameters()).sqrt().item()
            for p in model.parameters(): p -= lr * p.grad
        step += 1; tot += loss.item() * len(idx); n += len(idx)
        log.write(json.dumps({"step": step, "train_loss": loss.item(), "lr": lr}) + "\n")
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    log.write(json.dumps({"step": step, "epoch": ep, "val_loss": vl, "val_acc": va}) + "\n")
    print(f"epoch {ep} train_loss {tot/n:.4f} val_loss {vl:.4f} val_acc {va:.4f} update/weight {upd/wn:.3e}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4) if vl == vl else None, "val_acc": round(va, 4), "train_loss": round(tot / n, 4) if tot == tot else None, "chance_acc": round(float(max(yva.float().mean(), 1 - yva.float().mean())), 4)}))
