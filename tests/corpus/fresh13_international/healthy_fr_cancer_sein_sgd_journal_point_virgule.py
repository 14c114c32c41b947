# expect:
# allow:
# forbid: *
# evidence: healthy breast-cancer MLP (SGD+momentum, StepLR): val_acc 0.977 (majority 0.626), val_loss 0.123 (min 0.098 at epoch 2, flat 0.11-0.12 after), train_loss 0.018
# native-log: journal_entrainement.csv
# log-expect:
# log-allow:
"""Classification cancer du sein (load_breast_cancer) - petit réseau, SGD avec momentum et
décroissance du taux d'apprentissage par paliers (StepLR). Le journal est écrit comme un Excel
français : séparateur « ; » et virgule décimale."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(2); np.random.seed(2); random.seed(2)

dossier = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(dossier, exist_ok=True)

def virgule(x, n=4):
    return f"{x:.{n}f}".replace(".", ",")

X, y = load_breast_cancer(return_X_y=True)
X_app, X_val, y_app, y_val = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
normaliseur = StandardScaler().fit(X_app)
X_app = torch.tensor(normaliseur.transform(X_app), dtype=torch.float32)
X_val = torch.tensor(normaliseur.transform(X_val), dtype=torch.float32)
y_app = torch.tensor(y_app, dtype=torch.float32); y_val = torch.tensor(y_val, dtype=torch.float32)

reseau = nn.Sequential(nn.Linear(30, 32), nn.Tanh(), nn.Linear(32, 16), nn.Tanh(), nn.Linear(16, 1))
optimiseur = torch.optim.SGD(reseau.parameters(), lr=0.05, momentum=0.9)
planificateur = torch.optim.lr_scheduler.StepLR(optimiseur, step_size=10, gamma=0.3)

with open(os.path.join(dossier, "journal_entrainement.csv"), "w", encoding="utf-8") as journal:
    journal.write("époque;perte;perte_val;précision;précision_val;taux_apprentissage\n")
    for epoque in range(1, 31):
        reseau.train()
        ordre = torch.randperm(len(X_app)); somme = 0.0; bons = 0
        for i in range(0, len(X_app), 32):
            lot = ordre[i:i + 32]
            logits = reseau(X_app[lot]).squeeze(1)
            perte = F.binary_cross_entropy_with_logits(logits, y_app[lot])
            optimiseur.zero_grad(); perte.backward(); optimiseur.step()
            somme += perte.item() * len(lot); bons += ((logits > 0).float() == y_app[lot]).sum().item()
        taux = optimiseur.param_groups[0]["lr"]
        planificateur.step()
        reseau.eval()
        with torch.no_grad():
            lv = reseau(X_val).squeeze(1)
            perte_val = F.binary_cross_entropy_with_logits(lv, y_val).item()
            prec_val = ((lv > 0).float() == y_val).float().mean().item()
        perte_app = somme / len(X_app); prec_app = bons / len(X_app)
        print(f"époque {epoque} | perte {virgule(perte_app)} | perte val {virgule(perte_val)} | précision val {virgule(100*prec_val, 1)} %")
        journal.write(f"{epoque};{virgule(perte_app, 5)};{virgule(perte_val, 5)};{virgule(prec_app)};{virgule(prec_val)};{virgule(taux, 5)}\n")

print("Entraînement terminé.")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(perte_val, 4), "val_acc": round(prec_val, 4), "train_loss": round(perte_app, 4), "chance_acc": round(float(max(y_val.mean(), 1 - y_val.mean())), 4)}))
