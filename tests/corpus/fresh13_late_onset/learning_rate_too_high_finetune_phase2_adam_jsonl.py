# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, dead_units, overfitting, high_variance
# forbid: *
# evidence: phase 2 starts at epoch 40 with Adam lr 1.0 (meant 1e-4); epoch 39 train_loss 0.030 val_loss 0.039 val_acc 1.00 -> epoch 40 train_loss 916 val_loss 18.6, epoch 44 train_loss 57, weights blow up and the run ends val_loss 182.7 val_acc 0.944 (train_loss 0.0003); control (phase 2 at 1e-4) ends val_loss 0.029 val_acc 1.00
# control: --control
# native-log: finetune.jsonl
# log-expect: learning_rate_too_high
# log-allow: non_convergence, overfitting, high_variance
"""Two-phase fine-tuning of an MLP pretrained on wine-like synthetic data, then
fine-tuned on the real wine dataset. Phase 1 trains only the new head (Adam 1e-2);
phase 2 unfreezes everything and is supposed to use Adam 1e-4, but the config value
'1.0' was used. Phase 2 starts at epoch 40 and wrecks the pretrained features.
Control: phase 2 at 1e-4."""
import os, sys, json, math, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

CONTROL = "--control" in sys.argv
torch.manual_seed(8); np.random.seed(8); random.seed(8)
torch.set_num_threads(1)

X, y = load_wine(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=8, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

# "pretraining": a body trained to reconstruct a random projection of the inputs (self-supervised proxy)
body = nn.Sequential(nn.Linear(13, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
dec = nn.Linear(64, 13)
popt = torch.optim.Adam(list(body.parameters()) + list(dec.parameters()), lr=3e-3)
Xaug = Xtr.repeat(4, 1) + 0.3 * torch.randn(len(Xtr) * 4, 13)
for it in range(150):
    idx = torch.randint(0, len(Xaug), (64,))
    l = ((dec(body(Xaug[idx])) - Xtr.repeat(4, 1)[idx]) ** 2).mean()
    popt.zero_grad(); l.backward(); popt.step()

head = nn.Linear(64, 3)
model = nn.Sequential(body, head)
loss_fn = nn.CrossEntropyLoss()
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
logf = open(os.path.join(log_dir, "finetune.jsonl"), "w")

PHASE2_EP, EPOCHS, BS = 40, 70, 16
PHASE2_LR = 1e-4 if CONTROL else 1.0       # bug: should be 1e-4
for p in body.parameters(): p.requires_grad_(False)
opt = torch.optim.Adam(head.parameters(), lr=1e-2)
n = len(Xtr); step = 0
for ep in range(EPOCHS):
    if ep == PHASE2_EP:
        for p in body.parameters(): p.requires_grad_(True)
        opt = torch.optim.Adam(model.parameters(), lr=PHASE2_LR)
    model.train(); perm = torch.randperm(n); tot = 0.0
    for i in range(0, n, BS):
        idx = perm[i:i + BS]
        loss = loss_fn(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        tot += loss.item() * len(idx)
        logf.write(json.dumps({"step": step, "epoch": ep, "loss": loss.item(), "lr": opt.param_groups[0]["lr"]}) + "\n")
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = loss_fn(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    logf.write(json.dumps({"step": step, "epoch": ep, "val_loss": vl, "val_accuracy": va}) + "\n")
    if ep % 5 == 4 or ep in (PHASE2_EP, PHASE2_EP + 1):
        print(f"epoch {ep:2d} lr {opt.param_groups[0]['lr']:.0e} train_loss {tot / n:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
logf.close()
with torch.no_grad():
    tl = loss_fn(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.4}))
