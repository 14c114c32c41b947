# expect:
# allow:
# forbid: *
# evidence: healthy look-alike: make_moons noise 0.25, SGDR restarts bump the loss; val_acc 0.945 = RBF-SVC on the same split (0.945, ~Bayes), val_loss 0.143, train_loss 0.137 (plateau from epoch ~3 is the noise floor)
# native-log: laeufe/lauf_01.csv
# log-expect:
# log-allow:
"""Zwei Halbmonde (make_moons, noise=0.25) - MLP mit SGD + CosineAnnealingWarmRestarts (SGDR, T_0=5, T_mult=2).
Nach jedem Neustart springt die Lernrate hoch und der Verlust steigt kurz an - das ist gewollt.
Deutsch/Englisch gemischte Ausgabe und Spaltennamen (typisch im Labor)."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_moons

torch.set_num_threads(1)
torch.manual_seed(22); np.random.seed(22); random.seed(22)
ordner = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "laeufe")
os.makedirs(ordner, exist_ok=True)

X, y = make_moons(n_samples=1600, noise=0.25, random_state=22)
X = (X - X.mean(0)) / X.std(0)
X = torch.tensor(X, dtype=torch.float32); y = torch.tensor(y)
X_tr, y_tr, X_val, y_val = X[:1200], y[:1200], X[1200:], y[1200:]

netz = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
opt = torch.optim.SGD(netz.parameters(), lr=0.1, momentum=0.9)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=5, T_mult=2, eta_min=1e-4)
n_batches = len(X_tr) // 32
with open(os.path.join(ordner, "lauf_01.csv"), "w", encoding="utf-8") as log:
    log.write("epoch,verlust,val_loss,genauigkeit,val_genauigkeit,lr\n")
    for ep in range(35):
        netz.train(); perm = torch.randperm(len(X_tr)); summe = 0.0; richtig = 0
        lr_jetzt = opt.param_groups[0]["lr"]
        for i in range(n_batches):
            idx = perm[i * 32:(i + 1) * 32]
            out = netz(X_tr[idx]); verlust = F.cross_entropy(out, y_tr[idx])
            opt.zero_grad(); verlust.backward(); opt.step(); sched.step(ep + i / n_batches)
            summe += verlust.item(); richtig += (out.argmax(1) == y_tr[idx]).sum().item()
        netz.eval()
        with torch.no_grad():
            o = netz(X_val); vl = F.cross_entropy(o, y_val).item(); va = (o.argmax(1) == y_val).float().mean().item()
        tl = summe / n_batches; ta = richtig / (n_batches * 32)
        print(f"Epoch {ep+1:2d}/35 | loss (Verlust) {tl:.4f} | val_loss {vl:.4f} | Genauigkeit {ta:.3f} | val Genauigkeit {va:.3f} | lr {lr_jetzt:.4f}")
        log.write(f"{ep+1},{tl:.5f},{vl:.5f},{ta:.4f},{va:.4f},{lr_jetzt:.6f}\n")
print("Fertig / done.")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.5}))
