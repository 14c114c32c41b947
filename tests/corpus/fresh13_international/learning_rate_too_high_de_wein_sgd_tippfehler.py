# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite
# forbid: *
# evidence: planted (SGD lr=3.0, momentum 0.9): train loss explodes to 1e2..7.6e5 in epochs 1-4, then oscillates 1.1-1.5, final val_acc 0.333 (majority 0.389), val_loss 1.61; control (lr=0.03) val_acc 0.981, val_loss 0.040
# control: --control
# native-log: protokoll/verlauf_wein.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite
"""Weinklassifikation (load_wine), MLP mit SGD+Momentum.
Tippfehler: lr=3.0 statt 0.03 (--control setzt 0.03)."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(1); np.random.seed(1); random.seed(1)
KONTROLLE = "--control" in sys.argv
LERNRATE = 0.03 if KONTROLLE else 3.0   # Tippfehler! eigentlich 0.03

ordner = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "protokoll")
os.makedirs(ordner, exist_ok=True)

X, y = load_wine(return_X_y=True)
X_tr, X_val, y_tr, y_val = train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)
sk = StandardScaler().fit(X_tr)
X_tr = torch.tensor(sk.transform(X_tr), dtype=torch.float32); X_val = torch.tensor(sk.transform(X_val), dtype=torch.float32)
y_tr = torch.tensor(y_tr); y_val = torch.tensor(y_val)

netz = nn.Sequential(nn.Linear(13, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 3))
opt = torch.optim.SGD(netz.parameters(), lr=LERNRATE, momentum=0.9)

datei = open(os.path.join(ordner, "verlauf_wein.csv"), "w", encoding="utf-8")
datei.write("Epoche,Verlust,val_loss,Genauigkeit,val_Genauigkeit,Lernrate\n")
for epoche in range(1, 41):
    netz.train()
    perm = torch.randperm(len(X_tr)); ges, n = 0.0, 0; treffer = 0
    for i in range(0, len(X_tr), 16):
        idx = perm[i:i + 16]
        out = netz(X_tr[idx]); verlust = F.cross_entropy(out, y_tr[idx])
        opt.zero_grad(); verlust.backward(); opt.step()
        ges += verlust.item() * len(idx); n += len(idx); treffer += (out.argmax(1) == y_tr[idx]).sum().item()
    netz.eval()
    with torch.no_grad():
        o = netz(X_val); vl = F.cross_entropy(o, y_val).item(); va = (o.argmax(1) == y_val).float().mean().item()
    tl = ges / n; ta = treffer / n
    print(f"Epoche {epoche:02d} | Verlust {tl:.4f} | val_loss {vl:.4f} | Genauigkeit {ta:.3f} | val_Genauigkeit {va:.3f}")
    datei.write(f"{epoche},{tl:.5f},{vl:.5f},{ta:.4f},{va:.4f},{LERNRATE}\n")
datei.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl if np.isfinite(vl) else None, "val_acc": round(va, 4), "train_loss": tl if np.isfinite(tl) else None, "chance_acc": round(float((y_val == torch.mode(y_tr).values).float().mean()), 4)}))
