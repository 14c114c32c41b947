# FT-Transformer-style classifier on a process-sensor table (12 channels in physical units:
# pressure in Pa ~1e5, temperatures in K ~300, flow in ml/min ~1e3, ...). Each channel becomes a
# token  x_j * w_j + b_j  (per-feature embedding), a [CLS] token is prepended, two pre-LN
# attention blocks, head on [CLS]. The raw readings are fed in as logged: the scaler line was
# commented out "because LayerNorm normalises anyway".
# --control: StandardScaler fitted on the training split (nothing else changes).
#
# expect: unnormalized_inputs
# allow: non_convergence, high_bias, saturated_activations
# forbid: *
# evidence: planted (raw physical units, offsets up to 1e5): val_acc 0.500, val_loss 0.694, train_acc 0.501 (chance 0.5); control (StandardScaler): val_acc 0.952, val_loss 0.153, train_acc 0.981
# control: --control
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

SCALE = "--control" in sys.argv
torch.set_num_threads(1)
torch.manual_seed(4)

X, y = make_classification(n_samples=1400, n_features=12, n_informative=6, n_redundant=2, class_sep=1.0,
                           random_state=4)
# convert to "physical units": offset + spread per channel, as the logger writes them
offsets = np.array([101325, 298.0, 1000.0, 350.0, 5e4, 760.0, 1200.0, 80.0, 2.5e3, 310.0, 9.8e3, 600.0])
spreads = np.array([400.0, 3.0, 25.0, 2.0, 900.0, 5.0, 40.0, 1.5, 60.0, 2.0, 150.0, 9.0])
X = X * spreads + offsets
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.3, random_state=4, stratify=y)
if SCALE:
    sc = StandardScaler().fit(X_tr)
    X_tr, X_va = sc.transform(X_tr), sc.transform(X_va)
# else:  LayerNorm takes care of scale  (it does not)
X_tr, X_va = torch.tensor(X_tr, dtype=torch.float32), torch.tensor(X_va, dtype=torch.float32)
y_tr, y_va = torch.tensor(y_tr), torch.tensor(y_va)
N_FEAT = X_tr.shape[1]


class FeatureTokenizer(nn.Module):
    def __init__(self, n, d):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n, d) / d ** 0.5)
        self.bias = nn.Parameter(torch.zeros(n, d))

    def forward(self, x):
        return x.unsqueeze(-1) * self.weight + self.bias


class Block(nn.Module):
    def __init__(self, d, h, dropout=0.1):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, h, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Dropout(dropout), nn.Linear(2 * d, d))

    def forward(self, x):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.ffn(self.ln2(x))


class FTTransformer(nn.Module):
    def __init__(self, d=32, h=4, depth=2):
        super().__init__()
        self.tok = FeatureTokenizer(N_FEAT, d)
        self.cls = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.blocks = nn.ModuleList(Block(d, h) for _ in range(depth))
        self.out = nn.Sequential(nn.LayerNorm(d), nn.ReLU(), nn.Linear(d, 2))

    def forward(self, x):
        t = self.tok(x)
        t = torch.cat([self.cls.expand(len(x), -1, -1), t], dim=1)
        for b in self.blocks:
            t = b(t)
        return self.out(t[:, 0])


model = FTTransformer()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
best = None
for epoch in range(15):
    model.train()
    perm = torch.randperm(len(X_tr))
    for i in range(0, len(perm), 32):
        bi = perm[i:i + 32]
        loss = F.cross_entropy(model(X_tr[bi]), y_tr[bi])
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 5 == 4:
        model.eval()
        with torch.no_grad():
            lv = model(X_va)
            vl = F.cross_entropy(lv, y_va).item()
            va = (lv.argmax(1) == y_va).float().mean().item()
            lt = model(X_tr)
            tl = F.cross_entropy(lt, y_tr).item()
            ta = (lt.argmax(1) == y_tr).float().mean().item()
        print(f"epoch {epoch + 1}: train {tl:.4f} acc {ta:.3f} | val {vl:.4f} acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4),
                                     "majority_acc": round(max(y_va.float().mean().item(), 1 - y_va.float().mean().item()), 4)}))
