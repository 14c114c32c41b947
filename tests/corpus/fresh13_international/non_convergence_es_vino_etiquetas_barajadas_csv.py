# expect: non_convergence
# allow: high_bias, overfitting, high_variance
# forbid: *
# evidence: planted (y shuffled separately from X): val_acc 0.315 (majority 0.40), val_loss rises 1.087 -> 1.287, train loss only 1.124 -> 0.830 (memorising noise, train_acc 0.63); control (same permutation) val_acc 0.944, val_loss 0.121
# control: --control
# native-log: registro_vino.csv
# log-expect: non_convergence
# log-allow: high_bias, overfitting, high_variance
"""Clasificación de vinos (load_wine) con un MLP. Error: al "barajar" el conjunto de entrenamiento se baraja
y por separado de X (np.random.shuffle(y_ent)), así que las etiquetas ya no corresponden a los ejemplos.
--control: se baraja con la misma permutación. Registro CSV estilo Excel español (';' y coma decimal)."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(21); np.random.seed(21); random.seed(21)
CONTROL = "--control" in sys.argv
carpeta = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(carpeta, exist_ok=True)
c = lambda x, n=4: f"{x:.{n}f}".replace(".", ",")

X, y = load_wine(return_X_y=True)
X_ent, X_val, y_ent, y_val = train_test_split(X, y, test_size=0.3, random_state=21, stratify=y)
if CONTROL:
    p = np.random.permutation(len(X_ent)); X_ent, y_ent = X_ent[p], y_ent[p]
else:
    np.random.shuffle(X_ent); np.random.shuffle(y_ent)     # ¡ups! permutaciones distintas
esc = StandardScaler().fit(X_ent)
X_ent = torch.tensor(esc.transform(X_ent), dtype=torch.float32); X_val = torch.tensor(esc.transform(X_val), dtype=torch.float32)
y_ent = torch.tensor(y_ent); y_val = torch.tensor(y_val)

modelo = nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Linear(32, 3))
opt = torch.optim.Adam(modelo.parameters(), lr=2e-3, weight_decay=1e-3)
with open(os.path.join(carpeta, "registro_vino.csv"), "w", encoding="utf-8") as f:
    f.write("época;pérdida;pérdida_val;exactitud;exactitud_val\n")
    for epoca in range(1, 31):
        modelo.train(); orden = torch.randperm(len(X_ent)); s = 0.0; ac = 0
        for i in range(0, len(X_ent), 16):
            b = orden[i:i + 16]
            sal = modelo(X_ent[b]); perdida = F.cross_entropy(sal, y_ent[b])
            opt.zero_grad(); perdida.backward(); opt.step(); s += perdida.item() * len(b); ac += (sal.argmax(1) == y_ent[b]).sum().item()
        modelo.eval()
        with torch.no_grad():
            o = modelo(X_val); pv = F.cross_entropy(o, y_val).item(); ev = (o.argmax(1) == y_val).float().mean().item()
        pe, ee = s / len(X_ent), ac / len(X_ent)
        print(f"Época {epoca:2d}/30 | pérdida {c(pe)} | pérdida_val {c(pv)} | exactitud {c(100*ee,1)} % | exactitud_val {c(100*ev,1)} %")
        f.write(f"{epoca};{c(pe,5)};{c(pv,5)};{c(ee)};{c(ev)}\n")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(pv, 4), "val_acc": round(ev, 4), "train_loss": round(pe, 4), "train_acc": round(ee, 4), "chance_acc": 0.4}))
