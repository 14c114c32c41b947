"""Short 'reviews' as variable-length token-id lists (synthetic vocabulary with positive and
negative cue words plus filler). A collate_fn pads with id 0 and returns a mask; the model
mean-pools embeddings over real tokens only (padding masked properly)."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.91, val_loss 0.27 flat at its best (chance 0.50; 5% label noise + distractor cues cap accuracy ~0.93); ~43% of each padded batch is padding, masked out of the mean pool
import os, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import Dataset, DataLoader

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
V = 200; POS = list(range(1, 11)); NEG = list(range(11, 21)); FILL = list(range(21, V))
rng = np.random.RandomState(0)

def make(n):
    seqs, labels = [], []
    for _ in range(n):
        L = rng.randint(4, 30); lab = rng.randint(2)
        toks = list(rng.choice(FILL, L))
        k = rng.randint(2, 5)
        cue = POS if lab == 1 else NEG
        for _ in range(k): toks[rng.randint(L)] = int(rng.choice(cue))
        if rng.rand() < 0.3: toks[rng.randint(L)] = int(rng.choice(NEG if lab == 1 else POS))  # one distractor
        if rng.rand() < 0.05: lab = 1 - lab                                                      # label noise
        seqs.append(toks); labels.append(lab)
    return seqs, labels

class TextDS(Dataset):
    def __init__(self, seqs, labels): self.s, self.l = seqs, labels
    def __len__(self): return len(self.l)
    def __getitem__(self, i): return torch.tensor(self.s[i]), self.l[i]

def collate(batch):
    L = max(len(s) for s, _ in batch)
    ids = torch.zeros(len(batch), L, dtype=torch.long)
    for i, (s, _) in enumerate(batch): ids[i, :len(s)] = s
    return ids, (ids != 0), torch.tensor([l for _, l in batch])

class Bag(nn.Module):
    def __init__(self):
        super().__init__(); self.emb = nn.Embedding(V, 32, padding_idx=0); self.head = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))
    def forward(self, ids, mask):
        e = self.emb(ids) * mask.unsqueeze(-1)
        return self.head(e.sum(1) / mask.sum(1, keepdim=True).clamp(min=1))

tr = TextDS(*make(3000)); va = TextDS(*make(800))
dl_tr = DataLoader(tr, batch_size=32, shuffle=True, collate_fn=collate)
dl_va = DataLoader(va, batch_size=200, collate_fn=collate)
model = Bag(); opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.05)
for ep in range(8):
    model.train(); tot = n = 0; padfrac = []
    for ids, mask, yb in dl_tr:
        opt.zero_grad(); loss = F.cross_entropy(model(ids, mask), yb); loss.backward(); opt.step()
        tot += loss.item() * len(yb); n += len(yb); padfrac.append(1 - mask.float().mean().item())
    model.eval(); vl = vc = vn = 0
    with torch.no_grad():
        for ids, mask, yb in dl_va:
            out = model(ids, mask); vl += F.cross_entropy(out, yb, reduction="sum").item(); vc += (out.argmax(1) == yb).sum().item(); vn += len(yb)
    print(f"epoch {ep} train_loss {tot/n:.4f} val_loss {vl/vn:.4f} val_acc {vc/vn:.4f} pad_frac {np.mean(padfrac):.2f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl / vn, 4), "val_acc": round(vc / vn, 4), "train_loss": round(tot / n, 4), "chance_acc": 0.5}))
