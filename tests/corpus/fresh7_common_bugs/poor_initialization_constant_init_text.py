# expect: poor_initialization
# allow: high_bias, non_convergence, vanishing_gradients
# forbid: *
# evidence: control (xavier) val_acc 1.00 val_loss 0.002; planted (constant 0.05) val_acc 0.555 val_loss 0.885 (chance 0.2); probe: fc1 has 1 distinct row out of 64 after training, spread across fc2 units 4e-7 (control 0.72)
# control: --control
"""Topic classification of synthetic token sequences (vocab 600, 5 topics) with
EmbeddingBag(mean) -> Linear -> ReLU -> Linear -> ReLU -> Linear, Adam(lr=2e-3).

Planted bug: a hand-written `init_weights` calls nn.init.constant_(w, 0.05) on every weight
matrix (meant to be a "small" init). All hidden units of a layer start identical and get
identical gradients, so the symmetry is never broken: each hidden layer behaves as ONE unit.
`--control` uses nn.init.xavier_uniform_ instead; nothing else changes.
"""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

CONTROL = "--control" in sys.argv
V, T, L = 600, 5, 24


def make_docs(n, g):
    # every topic owns 40 keyword ids; documents mix ~30% topic keywords with common words
    y = torch.randint(0, T, (n,), generator=g)
    common = torch.randint(T * 40, V, (n, L), generator=g)
    kw = y.view(-1, 1) * 40 + torch.randint(0, 40, (n, L), generator=g)
    use_kw = torch.rand(n, L, generator=g) < 0.3
    return torch.where(use_kw, kw, common), y


class TextClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.EmbeddingBag(V, 32, mode="mean")
        self.fc1, self.fc2, self.out = nn.Linear(32, 64), nn.Linear(64, 64), nn.Linear(64, T)

    def forward(self, tokens):
        h = F.relu(self.fc1(self.emb(tokens)))
        h = F.relu(self.fc2(h))
        return self.out(h), h


def init_weights(model):
    for name, p in model.named_parameters():
        if name.endswith("weight"):
            if CONTROL:
                nn.init.xavier_uniform_(p)
            else:
                nn.init.constant_(p, 0.05)   # BUG: constant -> symmetric units
        else:
            nn.init.zeros_(p)


torch.manual_seed(0)
torch.set_num_threads(1)
g = torch.Generator().manual_seed(3)
xtr, ytr = make_docs(4000, g)
xva, yva = make_docs(1000, g)
model = TextClassifier()
init_weights(model)
opt = torch.optim.Adam(model.parameters(), lr=2e-3)

for epoch in range(8):
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for i in range(0, len(xtr), 50):
        idx = perm[i:i + 50]
        logits, _ = model(xtr[idx])
        loss = F.cross_entropy(logits, ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    with torch.no_grad():
        lv, h = model(xva)
        vl = F.cross_entropy(lv, yva).item()
        va = (lv.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch+1}: train_loss={tot/len(xtr):.4f} val_loss={vl:.4f} val_acc={va:.3f}")

with torch.no_grad():
    w = model.fc1.weight
    distinct_rows = torch.unique(w.round(decimals=5), dim=0).shape[0]
    hs = h - h.mean(1, keepdim=True)
    print(f"probe: distinct rows in fc1.weight after training = {distinct_rows}/64; "
          f"std across units of fc2 activations = {hs.std().item():.2e}")
    tl = F.cross_entropy(model(xtr)[0], ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(tl, 4), "chance_acc": 0.2}))
