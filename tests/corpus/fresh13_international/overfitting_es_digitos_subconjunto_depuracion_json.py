# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (debug subset of 60 train examples): train_acc 1.00, train_loss 0.011, val_loss best 0.737 -> final 0.778, val_acc 0.754; control (all 1257 examples) val_acc 0.978, val_loss 0.084
# control: --control
# native-log: registro_entrenamiento.json
# log-expect: overfitting
# log-allow: high_variance
"""Dígitos (load_digits) con un MLP ancho sin regularización. Se quedó puesto el subconjunto de
depuración: SOLO 60 ejemplos de entrenamiento. --control usa todo el conjunto de entrenamiento."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(11); np.random.seed(11); random.seed(11)
CONTROL = "--control" in sys.argv
DEPURACION = not CONTROL      # TODO: quitar antes del experimento final
carpeta = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(carpeta, exist_ok=True)

X, y = load_digits(return_X_y=True)
X_ent, X_val, y_ent, y_val = train_test_split(X, y, test_size=0.3, random_state=11, stratify=y)
if DEPURACION:
    X_ent, y_ent = X_ent[:60], y_ent[:60]
esc = StandardScaler().fit(X_ent)
X_ent = torch.tensor(esc.transform(X_ent), dtype=torch.float32); X_val = torch.tensor(esc.transform(X_val), dtype=torch.float32)
y_ent = torch.tensor(y_ent); y_val = torch.tensor(y_val)
print(f"ejemplos de entrenamiento: {len(X_ent)}, validación: {len(X_val)}")

red = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
opt = torch.optim.Adam(red.parameters(), lr=1e-3)
registro = {"experimento": "digitos_mlp", "épocas": []}
for epoca in range(1, 31):
    red.train(); orden = torch.randperm(len(X_ent)); suma = 0.0; aciertos = 0
    for i in range(0, len(X_ent), 32):
        b = orden[i:i + 32]
        sal = red(X_ent[b]); perdida = F.cross_entropy(sal, y_ent[b])
        opt.zero_grad(); perdida.backward(); opt.step()
        suma += perdida.item() * len(b); aciertos += (sal.argmax(1) == y_ent[b]).sum().item()
    red.eval()
    with torch.no_grad():
        sv = red(X_val); pv = F.cross_entropy(sv, y_val).item(); ev = (sv.argmax(1) == y_val).float().mean().item()
    pe = suma / len(X_ent); ee = aciertos / len(X_ent)
    print(f"época {epoca:2d}: pérdida {pe:.4f}  exactitud {ee:.3f}  pérdida_val {pv:.4f}  exactitud_val {ev:.3f}")
    registro["épocas"].append({"época": epoca, "pérdida": round(pe, 5), "pérdida_val": round(pv, 5), "exactitud": round(ee, 4), "exactitud_val": round(ev, 4)})
with open(os.path.join(carpeta, "registro_entrenamiento.json"), "w", encoding="utf-8") as f:
    json.dump(registro, f, ensure_ascii=False, indent=1)
mejor = min(e["pérdida_val"] for e in registro["épocas"])
print(f"mejor pérdida_val {mejor:.4f}, final {pv:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(pv, 4), "best_val_loss": round(mejor, 4), "val_acc": round(ev, 4), "train_loss": round(pe, 5), "train_acc": round(ee, 4), "chance_acc": 0.1}))
