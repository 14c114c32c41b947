# expect: saturated_activations
# allow: vanishing_gradients, poor_initialization, non_convergence, high_bias, learning_rate_too_low, overfitting, high_variance
# forbid: *
# evidence: planted (sigmoid MLP, weights/bias ~N(0,2^2)): fraction of sigmoid outputs <0.01 or >0.99 is [0.74, 0.79] at start and [0.75, 0.78] at end; val_acc 0.891, val_loss 0.387; control (default init) saturation [0.01, 0.03], val_acc 0.978, val_loss 0.088
# control: --control
# native-log: andamento.csv
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_low, overfitting, high_variance
"""Riconoscimento cifre (load_digits) con MLP a sigmoidi. Inizializzazione "fatta in casa":
pesi ~ N(0, 2^2) -> le sigmoidi lavorano quasi tutte a 0 o a 1 (saturate). --control: init di default di PyTorch."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(15); np.random.seed(15); random.seed(15)
CONTROLLO = "--control" in sys.argv
cartella = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(cartella, exist_ok=True)

X, y = load_digits(return_X_y=True)
X_add, X_val, y_add, y_val = train_test_split(X, y, test_size=0.25, random_state=15, stratify=y)
sc = StandardScaler().fit(X_add)
X_add = torch.tensor(sc.transform(X_add), dtype=torch.float32); X_val = torch.tensor(sc.transform(X_val), dtype=torch.float32)
y_add = torch.tensor(y_add); y_val = torch.tensor(y_val)

strati = [nn.Linear(64, 128), nn.Linear(128, 64)]
if not CONTROLLO:
    for s in strati:
        nn.init.normal_(s.weight, mean=0.0, std=2.0)   # "più grande = impara più in fretta"
        nn.init.normal_(s.bias, std=2.0)
rete = nn.Sequential(strati[0], nn.Sigmoid(), strati[1], nn.Sigmoid(), nn.Linear(64, 10))
ottimizzatore = torch.optim.SGD(rete.parameters(), lr=0.1, momentum=0.9)

def frazione_saturata():
    with torch.no_grad():
        h = X_add; fr = []
        for m in rete:
            h = m(h)
            if isinstance(m, nn.Sigmoid):
                fr.append(float(((h < 0.01) | (h > 0.99)).float().mean()))
    return fr

print("frazione sigmoidi saturate all'inizio:", [round(f, 3) for f in frazione_saturata()])
with open(os.path.join(cartella, "andamento.csv"), "w", encoding="utf-8") as f:
    f.write("epoca,perdita,perdita_val,accuratezza_val\n")
    for epoca in range(1, 16):
        rete.train(); ordine = torch.randperm(len(X_add)); tot = 0.0
        for i in range(0, len(X_add), 32):
            b = ordine[i:i + 32]
            perdita = F.cross_entropy(rete(X_add[b]), y_add[b])
            ottimizzatore.zero_grad(); perdita.backward(); ottimizzatore.step(); tot += perdita.item() * len(b)
        rete.eval()
        with torch.no_grad():
            u = rete(X_val); pv = F.cross_entropy(u, y_val).item(); acc = (u.argmax(1) == y_val).float().mean().item()
        pa = tot / len(X_add)
        print(f"Epoca {epoca}/15 - perdita: {pa:.4f} - perdita_val: {pv:.4f} - accuratezza_val: {acc:.2%}")
        f.write(f"{epoca},{pa:.5f},{pv:.5f},{acc:.4f}\n")
sat = frazione_saturata()
print("frazione sigmoidi saturate alla fine:", [round(v, 3) for v in sat])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(pv, 4), "val_acc": round(acc, 4), "train_loss": round(pa, 4), "saturated_frac_per_layer": [round(v, 3) for v in sat], "chance_acc": 0.1}))
