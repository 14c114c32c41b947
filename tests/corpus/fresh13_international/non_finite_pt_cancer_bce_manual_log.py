# expect: non_finite
# allow: exploding_gradients, non_convergence, learning_rate_too_high
# forbid: *
# evidence: planted (hand-written BCE with log(sigmoid)): fine up to epoch 6 (val_acc 0.965), loss NaN from epoch 7 on, 108 non-finite steps, all 6 weight tensors NaN, final val_acc 0.374; control (BCEWithLogits) val_acc 0.965, val_loss 0.109
# control: --control
# native-log: historico_treino.csv
# log-expect: non_finite
# log-allow: non_convergence
"""Câncer de mama (load_breast_cancer), MLP. A perda BCE foi escrita "na mão":
-(y*log(p) + (1-y)*log(1-p)) com p = sigmoid(z). Quando o modelo fica confiante, p vira exatamente 1.0
em float32 -> log(0) = -inf -> perda inf e gradientes NaN. --control usa binary_cross_entropy_with_logits."""
import os, sys, json, random, math, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(13); np.random.seed(13); random.seed(13)
CONTROLE = "--control" in sys.argv
pasta = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(pasta, exist_ok=True)

def perda_bce(logits, alvo):
    if CONTROLE:
        return F.binary_cross_entropy_with_logits(logits, alvo)
    p = torch.sigmoid(logits)
    return -(alvo * torch.log(p) + (1 - alvo) * torch.log(1 - p)).mean()

X, y = load_breast_cancer(return_X_y=True)
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.3, random_state=13, stratify=y)
esc = StandardScaler().fit(X_tr)
X_tr = torch.tensor(esc.transform(X_tr), dtype=torch.float32); X_va = torch.tensor(esc.transform(X_va), dtype=torch.float32)
y_tr = torch.tensor(y_tr, dtype=torch.float32); y_va = torch.tensor(y_va, dtype=torch.float32)

rede = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
otimizador = torch.optim.Adam(rede.parameters(), lr=3e-3)
passos_nan = 0
with open(os.path.join(pasta, "historico_treino.csv"), "w", encoding="utf-8") as arq:
    arq.write("epoca,perda,perda_val,acuracia_val\n")
    for epoca in range(1, 16):
        rede.train(); ordem = torch.randperm(len(X_tr)); soma = 0.0
        for i in range(0, len(X_tr), 32):
            b = ordem[i:i + 32]
            perda = perda_bce(rede(X_tr[b]).squeeze(1), y_tr[b])
            otimizador.zero_grad(); perda.backward(); otimizador.step()
            if not math.isfinite(perda.item()): passos_nan += 1
            soma += perda.item() * len(b)
        rede.eval()
        with torch.no_grad():
            lv = rede(X_va).squeeze(1); pv = perda_bce(lv, y_va).item(); acc = ((lv > 0).float() == y_va).float().mean().item()
        pt = soma / len(X_tr)
        print(f"Época {epoca:2d} | perda: {pt:.4f} | perda_val: {pv:.4f} | acurácia_val: {100*acc:.1f}%")
        arq.write(f"{epoca},{pt},{pv},{acc:.4f}\n")
pesos_nan = sum(int(torch.isnan(p).any()) for p in rede.parameters())
print(f"passos com perda não finita: {passos_nan}; tensores de pesos com NaN: {pesos_nan}")
fin = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(pv), "val_acc": round(acc, 4), "train_loss": fin(pt), "nonfinite_steps": passos_nan, "nan_weight_tensors": pesos_nan, "chance_acc": round(float(max(y_va.mean(), 1 - y_va.mean())), 4)}))
