# expect:
# allow:
# forbid: *
# evidence: healthy GRU motif classification, batch 16, noisy per-batch loss, plateau ~70-75% for a few epochs then climbs: val_acc 0.980, val_loss 0.098, train_loss 0.082; chance 0.25
"""Classificazione di sequenze sintetiche con una GRU: ogni sequenza (lunghezza 20, 8 simboli) contiene
uno di 4 motivi in posizione casuale; bisogna dire quale. Batch piccoli (16) -> perdita per batch molto
rumorosa, ma la validazione sale bene. Barra tqdm con postfix in italiano, clip del gradiente a 1."""
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from tqdm import tqdm

torch.set_num_threads(1)
torch.manual_seed(17); np.random.seed(17); random.seed(17)

MOTIVI = [[1, 2, 3, 4], [4, 3, 2, 1], [5, 6, 5, 6], [7, 7, 0, 0]]
def genera(n, rng):
    X = rng.integers(0, 8, size=(n, 20)); y = rng.integers(0, 4, size=n)
    for i in range(n):
        p = rng.integers(0, 16); X[i, p:p + 4] = MOTIVI[y[i]]
    return torch.tensor(X), torch.tensor(y)
rng = np.random.default_rng(17)
X_add, y_add = genera(1000, rng); X_val, y_val = genera(400, rng)

class ClassificatoreGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(8, 16); self.gru = nn.GRU(16, 48, batch_first=True); self.testa = nn.Linear(48, 4)
    def forward(self, x):
        _, h = self.gru(self.emb(x)); return self.testa(h[-1])

rete = ClassificatoreGRU()
ott = torch.optim.Adam(rete.parameters(), lr=3e-3)
for epoca in range(1, 11):
    rete.train(); ordine = torch.randperm(len(X_add)); somma = 0.0
    barra = tqdm(range(0, len(X_add), 16), desc=f"Epoca {epoca}/10", leave=False, mininterval=0.5, file=sys.stderr)
    for i in barra:
        b = ordine[i:i + 16]
        perdita = F.cross_entropy(rete(X_add[b]), y_add[b])
        ott.zero_grad(); perdita.backward(); torch.nn.utils.clip_grad_norm_(rete.parameters(), 1.0); ott.step()
        somma += perdita.item() * len(b)
        barra.set_postfix(perdita=f"{perdita.item():.3f}", refresh=False)
    rete.eval()
    with torch.no_grad():
        u = rete(X_val); pv = F.cross_entropy(u, y_val).item(); acc = (u.argmax(1) == y_val).float().mean().item()
    print(f"Epoca {epoca}/10 — perdita media {somma/len(X_add):.4f} — perdita_val {pv:.4f} — accuratezza_val {acc*100:.1f}%")
print("Addestramento completato.")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(pv, 4), "val_acc": round(acc, 4), "train_loss": round(somma/len(X_add), 4), "chance_acc": 0.25}))
