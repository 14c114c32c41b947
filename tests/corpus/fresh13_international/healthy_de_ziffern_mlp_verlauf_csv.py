# expect:
# allow:
# forbid: *
# evidence: healthy digits MLP (Adam 1e-3, 20 epochs): val_acc 0.980, val_loss 0.0985 (min ~0.097), train_loss 0.0045; chance 0.10
# native-log: verlauf.csv
# log-expect:
# log-allow:
"""Ziffernerkennung (load_digits) mit einem kleinen MLP - Adam, Minibatch 32.
Schreibt einen Verlauf als CSV mit deutschen Spaltennamen."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)

protokoll_ordner = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(protokoll_ordner, exist_ok=True)

daten = load_digits()
X_tr, X_val, y_tr, y_val = train_test_split(daten.data, daten.target, test_size=0.25, random_state=0, stratify=daten.target)
skalierer = StandardScaler().fit(X_tr)
X_tr = torch.tensor(skalierer.transform(X_tr), dtype=torch.float32)
X_val = torch.tensor(skalierer.transform(X_val), dtype=torch.float32)
y_tr = torch.tensor(y_tr); y_val = torch.tensor(y_val)

modell = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
optimierer = torch.optim.Adam(modell.parameters(), lr=1e-3)
EPOCHEN = 20
stapel = 32

with open(os.path.join(protokoll_ordner, "verlauf.csv"), "w", encoding="utf-8") as f:
    f.write("epoche,verlust,val_verlust,genauigkeit,val_genauigkeit,lernrate\n")
    for epoche in range(1, EPOCHEN + 1):
        modell.train()
        perm = torch.randperm(len(X_tr))
        summe, richtig = 0.0, 0
        for i in range(0, len(X_tr), stapel):
            idx = perm[i:i + stapel]
            ausgabe = modell(X_tr[idx])
            verlust = F.cross_entropy(ausgabe, y_tr[idx])
            optimierer.zero_grad(); verlust.backward(); optimierer.step()
            summe += verlust.item() * len(idx)
            richtig += (ausgabe.argmax(1) == y_tr[idx]).sum().item()
        trainverlust = summe / len(X_tr); traingenau = richtig / len(X_tr)
        modell.eval()
        with torch.no_grad():
            aus = modell(X_val)
            val_verlust = F.cross_entropy(aus, y_val).item()
            val_genau = (aus.argmax(1) == y_val).float().mean().item()
        print(f"Epoche {epoche}/{EPOCHEN} - Verlust: {trainverlust:.4f} - Val-Verlust: {val_verlust:.4f} - Genauigkeit: {100*traingenau:.1f}% - Val-Genauigkeit: {100*val_genau:.1f}%")
        f.write(f"{epoche},{trainverlust:.5f},{val_verlust:.5f},{traingenau:.4f},{val_genau:.4f},{1e-3}\n")

print("Training abgeschlossen.")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_verlust, 4), "val_acc": round(val_genau, 4), "train_loss": round(trainverlust, 4), "chance_acc": 0.1}))
