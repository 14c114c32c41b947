# expect: poor_initialization
# allow: non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (all weights = 0.05, biases 0): hidden units stay identical (max weight difference between units 3.8e-5 after training), val_acc 0.413, val_loss 1.398, train_loss 1.418; control (default init) val_acc 0.967, val_loss 0.103
# control: --control
"""Rakam tanıma (load_digits), 3 katmanlı MLP. Ağırlıklar "tekrarlanabilirlik için" sabit 0.05 ile
başlatılmış: tüm gizli birimler aynı kalıyor (simetri kırılmıyor). --control: PyTorch'un varsayılan başlatması."""
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(16); np.random.seed(16); random.seed(16)
KONTROL = "--control" in sys.argv
yuzde = lambda x: f"%{100*x:.1f}".replace(".", ",")   # Türkçe yazım: %81,2

X, y = load_digits(return_X_y=True)
X_eg, X_do, y_eg, y_do = train_test_split(X, y, test_size=0.25, random_state=16, stratify=y)
olcek = StandardScaler().fit(X_eg)
X_eg = torch.tensor(olcek.transform(X_eg), dtype=torch.float32); X_do = torch.tensor(olcek.transform(X_do), dtype=torch.float32)
y_eg = torch.tensor(y_eg); y_do = torch.tensor(y_do)

model = nn.Sequential(nn.Linear(64, 100), nn.Tanh(), nn.Linear(100, 100), nn.Tanh(), nn.Linear(100, 10))
if not KONTROL:
    for katman in model:
        if isinstance(katman, nn.Linear):
            nn.init.constant_(katman.weight, 0.05); nn.init.zeros_(katman.bias)
eniyilestirici = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

def birim_benzerligi():
    # 1. gizli katmandaki birimlerin ağırlık vektörleri arasındaki en büyük fark
    W = model[0].weight.detach()
    return float((W - W.mean(0, keepdim=True)).abs().max())

for donem in range(1, 21):
    model.train(); sira = torch.randperm(len(X_eg)); toplam = 0.0
    for i in range(0, len(X_eg), 32):
        b = sira[i:i + 32]
        kayip = F.cross_entropy(model(X_eg[b]), y_eg[b])
        eniyilestirici.zero_grad(); kayip.backward(); eniyilestirici.step(); toplam += kayip.item() * len(b)
    model.eval()
    with torch.no_grad():
        c = model(X_do); dk = F.cross_entropy(c, y_do).item(); dd = (c.argmax(1) == y_do).float().mean().item()
    print(f"Dönem {donem}/20 - kayıp: {toplam/len(X_eg):.4f} - doğrulama kaybı: {dk:.4f} - doğruluk: {yuzde(dd)}")
fark = birim_benzerligi()
print(f"1. katman birimleri arasındaki en büyük ağırlık farkı: {fark:.2e} (0 = hepsi aynı)")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(dk, 4), "val_acc": round(dd, 4), "train_loss": round(toplam/len(X_eg), 4), "hidden1_max_unit_difference": fark, "chance_acc": 0.1}))
