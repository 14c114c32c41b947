# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, learning_rate_too_low
# forbid: *
# evidence: planted (10 sigmoid layers): weight-grad norms at start 4.5e-09 (layer 1) ... 5.2e-01 (output), ratio first/last 3e-08 at the end; val_acc 0.100, val_loss 2.307 (chance 0.10); control (ReLU + Kaiming) grad norms 0.21..0.53, val_acc 0.958, val_loss 0.147
# control: --control
# native-log: suivi_profond.log
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_low, vanishing_gradients
"""Chiffres manuscrits (load_digits) avec un MLP profond : 10 couches cachées de 64 unités, activation sigmoïde
(« comme dans le cours de 1998 »). Les gradients des premières couches s'évanouissent.
--control : même réseau avec ReLU (init Kaiming) à la place des sigmoïdes. Journal via logging (fichier)."""
import os, sys, json, random, logging, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(25); np.random.seed(25); random.seed(25)
TEMOIN = "--control" in sys.argv
dossier = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(dossier, exist_ok=True)
journal = logging.getLogger("profond"); journal.setLevel(logging.INFO)
gest = logging.FileHandler(os.path.join(dossier, "suivi_profond.log"), encoding="utf-8")
gest.setFormatter(logging.Formatter("%(asctime)s - %(levelname)s - %(message)s")); journal.addHandler(gest)
journal.addHandler(logging.StreamHandler(sys.stdout))

X, y = load_digits(return_X_y=True)
X_a, X_v, y_a, y_v = train_test_split(X, y, test_size=0.25, random_state=25, stratify=y)
sc = StandardScaler().fit(X_a)
X_a = torch.tensor(sc.transform(X_a), dtype=torch.float32); X_v = torch.tensor(sc.transform(X_v), dtype=torch.float32)
y_a = torch.tensor(y_a); y_v = torch.tensor(y_v)

couches = []; largeur = 64; entree = 64
for _ in range(10):
    lin = nn.Linear(entree, largeur)
    if TEMOIN:
        nn.init.kaiming_normal_(lin.weight, nonlinearity="relu"); nn.init.zeros_(lin.bias)
    couches += [lin, nn.ReLU() if TEMOIN else nn.Sigmoid()]; entree = largeur
reseau = nn.Sequential(*couches, nn.Linear(largeur, 10))
lineaires = [m for m in reseau if isinstance(m, nn.Linear)]
opt = torch.optim.SGD(reseau.parameters(), lr=0.01, momentum=0.9)

def normes_gradients():
    idx = torch.randperm(len(X_a))[:256]
    reseau.zero_grad(); F.cross_entropy(reseau(X_a[idx]), y_a[idx]).backward()
    n = [m.weight.grad.norm().item() for m in lineaires]; reseau.zero_grad(); return n

g0 = normes_gradients()
journal.info("normes des gradients par couche (entrée -> sortie) au départ : %s", " ".join(f"{g:.1e}" for g in g0))
for ep in range(1, 16):
    reseau.train(); ordre = torch.randperm(len(X_a)); s = 0.0
    for i in range(0, len(X_a), 32):
        b = ordre[i:i + 32]
        perte = F.cross_entropy(reseau(X_a[b]), y_a[b])
        opt.zero_grad(); perte.backward(); opt.step(); s += perte.item() * len(b)
    reseau.eval()
    with torch.no_grad():
        o = reseau(X_v); pv = F.cross_entropy(o, y_v).item(); acc = (o.argmax(1) == y_v).float().mean().item()
    journal.info("époque %d/15 - perte %.4f - perte_val %.4f - précision_val %.3f", ep, s / len(X_a), pv, acc)
g1 = normes_gradients()
journal.info("normes des gradients par couche à la fin : %s", " ".join(f"{g:.1e}" for g in g1))
rapport = g1[0] / g1[-1]
journal.info("rapport gradient couche 1 / couche de sortie : %.2e", rapport)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(pv, 4), "val_acc": round(acc, 4), "train_loss": round(s / len(X_a), 4), "grad_norm_first_layer_start": g0[0], "grad_norm_last_layer_start": g0[-1], "first_over_last_end": rapport, "chance_acc": 0.1}))
