# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: control (early stopping on val loss, restore best) stops at epoch 6 with val_loss 0.456, val_acc 0.825, train_acc 0.89; planted (no regularisation) val_loss rises from ~0.46 (epochs 2-5) to 1.33 while train_loss falls to 0.0007, train_acc 1.000 vs val_acc 0.814 (labels 10% noisy, best achievable ~0.90)
# control: --control
# native-log: history.csv
# log-expect: overfitting
# log-allow: high_variance
"""Pretrain a wide MLP on a large synthetic task A (20 features, 6000 samples), then
fine-tune on a related task B that has only 300 labelled samples (labels with ~10% noise):
2 epochs with the backbone frozen, then everything unfrozen for 60 epochs with Adam.
Planted cause: no regularisation at all after unfreezing (no weight decay, no dropout).
--control regularises by early stopping on val loss (patience 4) with restore-best, nothing
else changes."""
import os, sys, json, random, tempfile, copy
import numpy as np, torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
log = open(os.path.join(LOG_DIR, "history.csv"), "w")
log.write("phase,epoch,train_loss,train_acc,val_loss,val_acc\n")

g = torch.Generator().manual_seed(0)
WA = torch.randn(20, 2, generator=g)
WB = WA[:, :1] + 0.5 * torch.randn(20, 1, generator=g)
def task(W, n, noise):
    X = torch.randn(n, 20, generator=g)
    y = ((X @ W)[:, 0] + 0.3 * torch.sin(3 * X[:, 0]) > 0).long()
    flip = torch.rand(n, generator=g) < noise
    y[flip] = 1 - y[flip]
    return X, y
XA, yA = task(WA, 6000, 0.0)
Xtr, ytr = task(WB, 300, 0.1)
Xva, yva = task(WB, 1000, 0.1)

backbone = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU())
lossf = nn.CrossEntropyLoss()
def run_epoch(model, opt, Xs, ys, bs):
    model.train(); perm = torch.randperm(len(Xs), generator=g)
    for i in range(0, len(Xs), bs):
        idx = perm[i:i + bs]
        loss = lossf(model(Xs[idx]), ys[idx]); opt.zero_grad(); loss.backward(); opt.step()
def ev(model, Xs, ys):
    model.eval()
    with torch.no_grad():
        out = model(Xs); return lossf(out, ys).item(), (out.argmax(1) == ys).float().mean().item()

pre = nn.Sequential(backbone, nn.Linear(256, 2))
opt = torch.optim.Adam(pre.parameters(), lr=1e-3)
for ep in range(2):
    run_epoch(pre, opt, XA, yA, 128); print(f"pretrain epoch {ep} loss {ev(pre, XA, yA)[0]:.4f}")

head = nn.Linear(256, 2)
model = nn.Sequential(backbone, head)
for p in backbone.parameters(): p.requires_grad = False
opt = torch.optim.Adam(head.parameters(), lr=1e-3)
best, bad = (float('inf'), None), 0
for ep in range(62):
    phase = "frozen" if ep < 2 else "unfrozen"
    if ep == 2:
        for p in backbone.parameters(): p.requires_grad = True
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    run_epoch(model, opt, Xtr, ytr, 32)
    tl, ta = ev(model, Xtr, ytr); vl, va = ev(model, Xva, yva)
    log.write(f"{phase},{ep},{tl:.5f},{ta:.4f},{vl:.5f},{va:.4f}\n")
    if ep % 5 == 0 or ep == 61:
        print(f"[{phase}] epoch {ep} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")
    if CONTROL and ep >= 2:
        if vl < best[0]:
            best, bad = (vl, copy.deepcopy(model.state_dict())), 0
        else:
            bad += 1
        if bad >= 4:
            model.load_state_dict(best[1])
            tl, ta = ev(model, Xtr, ytr); vl, va = ev(model, Xva, yva)
            print(f"early stop at epoch {ep}, restored best: train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
            break
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": 0.5, "bayes_acc_approx": 0.9}))
