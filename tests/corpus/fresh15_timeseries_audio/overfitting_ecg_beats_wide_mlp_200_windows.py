"""Beat classification (normal vs premature-ventricular-like) from 128-sample synthetic ECG windows with
baseline wander, noise and ~12% annotation noise. A 2x512 MLP is trained for 150 epochs on only 200
annotated beats: train loss -> 0 while val loss climbs. --control fits a right-sized linear classifier
(logistic regression on the 128 samples) on the same 200 beats, same epochs, optimiser, batch size. Hand-written CSV log."""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (2x512 MLP, 200 beats): val_loss best 0.405 at epoch 4, then rises to 1.268 at epoch 149 while train_loss -> 4e-5 (train_acc 1.000, val_acc 0.870, clean-label val acc 0.975); control (linear classifier, same 200 beats): val_loss 0.393 still at its best at epoch 149, val_acc 0.885, clean-label 0.997
# control: --control
# native-log: ecg_mlp_log.csv
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(LOG_DIR, exist_ok=True)
L_ = 128; tt = np.arange(L_)
def g(c, w, a): return a * np.exp(-0.5 * ((tt - c) / w) ** 2)
def beat(pvc):
    j = np.random.randn(6) * 0.15
    if not pvc:
        b = g(40 + 3 * j[0], 4, 0.15) + g(62, 1.5 * (1 + j[1]), 1.0) - g(58, 1.5, 0.15) + g(90 + 4 * j[2], 8, 0.3)
    else:
        b = g(62 + 3 * j[0], 3.2 * (1 + j[1]), 0.95) - g(70, 4, 0.25) + g(95 + 4 * j[2], 9, -0.15)
    wander = 0.2 * np.sin(2 * np.pi * tt / 128 * np.random.uniform(0.3, 1.0) + np.random.rand() * 6)
    return b + wander + 0.15 * np.random.randn(L_)
def make(n):
    y = (np.random.rand(n) < 0.4).astype(int); X = np.stack([beat(v) for v in y]).astype(np.float32)
    flip = np.random.rand(n) < 0.12; y_noisy = np.where(flip, 1 - y, y)
    return torch.tensor(X), torch.tensor(y_noisy), torch.tensor(y)
Xtr, ytr, _ = make(200); Xva, yva, yva_clean = make(600)
model = (nn.Sequential(nn.Linear(L_, 2)) if CONTROL else
         nn.Sequential(nn.Linear(L_, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 2)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
logf = open(os.path.join(LOG_DIR, "ecg_mlp_log.csv"), "w", newline=""); lw = csv.writer(logf)
lw.writerow(["epoch", "train_loss", "val_loss", "val_acc"]); hist = []
for epoch in range(150):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
    for i in range(0, len(Xtr), 100):
        idx = perm[i:i + 100]; loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(idx)
    tl /= len(Xtr); model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    hist.append((tl, vl, va)); lw.writerow([epoch, f"{tl:.5f}", f"{vl:.5f}", f"{va:.4f}"])
    if epoch % 15 == 0 or epoch == 149: print(f"epoch {epoch} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
logf.close()
with torch.no_grad(): tr_acc = (model(Xtr).argmax(1) == ytr).float().mean().item(); clean_acc = (model(Xva).argmax(1) == yva_clean).float().mean().item()
best = int(np.argmin([h[1] for h in hist]))
print(f"best val_loss {hist[best][1]:.4f} at epoch {best}; final train_loss {tl:.4f} train_acc {tr_acc:.3f} val_loss {vl:.4f} val_acc {va:.3f} (vs clean labels {clean_acc:.3f}; label-noise ceiling ~0.88)")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 5), "train_acc": round(tr_acc, 4),
      "best_val_loss": round(hist[best][1], 4), "best_epoch": best, "val_acc_clean_labels": round(clean_acc, 4), "chance_acc": 0.6}))
