# expect: vanishing_gradients
# allow: non_convergence, high_bias, poor_initialization
# forbid: *
# evidence: planted (no LayerNorm): grad norm embed 4e-14, block0 7e-13, block4 3e-7, block7 9e-2, head 6e-2 (embed/head 4e-13), loss stuck at 2.303, val_acc 0.10; control (LayerNorm): embed/head ratio 0.81, val_acc 0.948
# control: --control
"""PLANTED vanishing_gradients: a deep (8-block) MLP-Mixer on 8x8 digits (2x2 patches, 16 tokens)
whose blocks have no normalisation layers (and, as written, no skip connections) with PyTorch
default Linear init: the signal and the gradient shrink block by block, so the patch embedding
and early blocks get gradients orders of magnitude smaller than the head.
--control inserts a LayerNorm before each token-mixing and channel-mixing MLP (the only change).
Prints a per-block gradient-norm probe."""
import sys, json, random
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(10); np.random.seed(10); random.seed(10)
NORM = "--control" in sys.argv
X, y = load_digits(return_X_y=True)
X = X / 8.0 - 1.0
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=10, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8); Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

class Block(nn.Module):
    def __init__(self, tokens=16, d=32):
        super().__init__()
        self.n1 = nn.LayerNorm(d) if NORM else nn.Identity()
        self.tok = nn.Sequential(nn.Linear(tokens, 32), nn.GELU(), nn.Linear(32, tokens))
        self.n2 = nn.LayerNorm(d) if NORM else nn.Identity()
        self.ch = nn.Sequential(nn.Linear(d, 64), nn.GELU(), nn.Linear(64, d))
    def forward(self, x):
        x = self.tok(self.n1(x).transpose(1, 2)).transpose(1, 2)
        return self.ch(self.n2(x))

class Mixer(nn.Module):
    def __init__(self, depth=8, d=32):
        super().__init__()
        self.embed = nn.Conv2d(1, d, 2, stride=2)
        self.blocks = nn.ModuleList([Block() for _ in range(depth)])
        self.head = nn.Linear(d, 10)
    def forward(self, x):
        x = self.embed(x).flatten(2).transpose(1, 2)
        for b in self.blocks: x = b(x)
        return self.head(x.mean(1))

model = Mixer()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
def grad_probe():
    g = {"embed": model.embed.weight.grad.norm().item()}
    for k in (0, 4, 7): g[f"block{k}"] = torch.norm(torch.stack([p.grad.norm() for p in model.blocks[k].parameters()])).item()
    g["head"] = model.head.weight.grad.norm().item(); return g
for ep in range(8):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for bi, i in enumerate(range(0, len(Xtr), 64)):
        idx = perm[i:i + 64]; loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward()
        if bi == 0 and ep in (0, 7): probe = grad_probe(); print("grad norms", {k: f"{v:.2e}" for k, v in probe.items()})
        opt.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    print(f"epoch {ep+1} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
ratio = probe["embed"] / probe["head"]
print(f"embed/head gradient-norm ratio {ratio:.2e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4),
                                     "embed_over_head_grad": float(f"{ratio:.3e}"), "chance_acc": 0.1}))
