# expect:
# allow:
# forbid: *
# evidence: 1D-conv sequence classifier whose forward returns a dict with the loss and an aux reconstruction term (aux stays ~0.68, it is a regulariser): val_acc 0.993 (chance 0.25), val CE 0.040, train total loss 0.109 (> val because it includes 0.1*aux)
"""1D-conv classifier on synthetic sequences; forward computes the loss itself and returns a dict
(logits, loss, aux) -- aux is a small reconstruction term on a bottleneck."""
import json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
L = 48
def make(n):
    # class 0: sine, 1: square wave, 2: sawtooth, 3: noise bursts; random freq/phase + noise
    t = np.linspace(0, 1, L)
    ys = np.random.randint(0, 4, n); xs = np.zeros((n, L), np.float32)
    for i, c in enumerate(ys):
        f = np.random.uniform(2, 5); ph = np.random.uniform(0, 2 * np.pi)
        s = np.sin(2 * np.pi * f * t + ph)
        xs[i] = [s, np.sign(s), 2 * ((f * t + ph / 6.28) % 1) - 1, np.random.randn(L) * (np.abs(s) > 0.7)][c]
    xs += 0.3 * np.random.randn(n, L).astype(np.float32)
    return torch.tensor(xs).unsqueeze(1), torch.tensor(ys)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1))
        self.head = nn.Linear(32, 4); self.dec = nn.Linear(32, L)
    def forward(self, x, y=None):
        z = self.enc(x).squeeze(-1)
        logits = self.head(z)
        out = {"logits": logits}
        if y is not None:
            aux = F.mse_loss(self.dec(z), x.squeeze(1))
            out["aux"] = aux
            out["loss"] = F.cross_entropy(logits, y) + 0.1 * aux
        return out

xtr, ytr = make(1600); xva, yva = make(400)
net = Net()
opt = torch.optim.Adam(net.parameters(), lr=2e-3)
for ep in range(8):
    net.train(); perm = torch.randperm(len(xtr)); agg = []
    for i in range(0, len(xtr), 32):
        b = perm[i:i+32]
        out = net(xtr[b], ytr[b])
        opt.zero_grad(); out["loss"].backward(); opt.step(); agg.append((out["loss"].item(), out["aux"].item()))
    net.eval()
    with torch.no_grad():
        o = net(xva, yva)
    acc = (o["logits"].argmax(1) == yva).float().mean().item()
    vce = F.cross_entropy(o["logits"], yva).item()
    a = np.array(agg).mean(0)
    print(f"ep {ep} | loss {a[0]:.3f} (aux {a[1]:.3f}) | val ce {vce:.3f} | acc {acc:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vce, "val_acc": acc, "train_loss": float(a[0]), "chance_acc": 0.25}))
