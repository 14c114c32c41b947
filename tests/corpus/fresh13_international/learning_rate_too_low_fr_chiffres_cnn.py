# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (Adam lr=1e-6): train loss 2.3035 -> 2.3027 in 12 epochs, val_acc 0.100, val_loss 2.303 (chance 0.10); control (lr=1e-3) val_acc 0.958, val_loss 0.202
# control: --control
# native-log: journal_cnn.csv
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
"""Petit CNN sur les chiffres manuscrits (load_digits 8x8). Adam.
Erreur : taux d'apprentissage 1e-6 (faute de frappe) au lieu de 1e-3 ; --control remet 1e-3."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(3); np.random.seed(3); random.seed(3)
TEMOIN = "--control" in sys.argv
TAUX = 1e-3 if TEMOIN else 1e-6

dossier = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(dossier, exist_ok=True)
v = lambda x, n=4: f"{x:.{n}f}".replace(".", ",")

images, cibles = load_digits(return_X_y=True)
images = images.reshape(-1, 1, 8, 8) / 16.0
X_a, X_v, y_a, y_v = train_test_split(images, cibles, test_size=0.25, random_state=3, stratify=cibles)
X_a = torch.tensor(X_a, dtype=torch.float32); X_v = torch.tensor(X_v, dtype=torch.float32)
y_a = torch.tensor(y_a); y_v = torch.tensor(y_v)

class PetitCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.tete = nn.Linear(16 * 2 * 2, 10)
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.tete(x.flatten(1))

modele = PetitCNN()
opt = torch.optim.Adam(modele.parameters(), lr=TAUX)
with open(os.path.join(dossier, "journal_cnn.csv"), "w", encoding="utf-8") as j:
    j.write("époque;perte;perte_val;précision_val;taux\n")
    for ep in range(1, 13):
        modele.train(); ordre = torch.randperm(len(X_a)); s = 0.0
        for i in range(0, len(X_a), 32):
            b = ordre[i:i + 32]
            perte = F.cross_entropy(modele(X_a[b]), y_a[b])
            opt.zero_grad(); perte.backward(); opt.step(); s += perte.item() * len(b)
        modele.eval()
        with torch.no_grad():
            sv = modele(X_v); pv = F.cross_entropy(sv, y_v).item(); acc = (sv.argmax(1) == y_v).float().mean().item()
        pa = s / len(X_a)
        print(f"Époque {ep:2d}/12 — perte : {v(pa)} — perte_val : {v(pv)} — précision val : {v(100*acc,1)} %")
        j.write(f"{ep};{v(pa,5)};{v(pv,5)};{v(acc)};{v(TAUX,6)}\n")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(pv, 4), "val_acc": round(acc, 4), "train_loss": round(pa, 4), "chance_acc": 0.1}))
