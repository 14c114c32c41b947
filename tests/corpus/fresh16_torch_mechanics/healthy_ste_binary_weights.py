# expect:
# allow:
# forbid: *
# evidence: sign-binarised hidden weights + STE (custom autograd.Function) on digits reach val_acc 0.971 / val_loss 0.103 (train_loss 0.075, chance 0.10) after 15 epochs; metric: val_acc
# native-log: ste_metrics.csv
# log-expect:
# log-allow:
"""Binary-weight MLP on sklearn digits: weights are binarised with sign() in forward and a
straight-through estimator (custom torch.autograd.Function) passes gradients to latent fp weights.
The latent weights are clamped to [-1,1] and their STE gradients are masked/approximate, yet learning works fine."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

class SignSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, w):
        ctx.save_for_backward(w)
        return torch.where(w >= 0, torch.ones_like(w), -torch.ones_like(w))
    @staticmethod
    def backward(ctx, g):
        (w,) = ctx.saved_tensors
        return g * (w.abs() <= 1).to(g.dtype)   # hard-tanh STE

class BinLinear(nn.Linear):
    def forward(self, x):
        wb = SignSTE.apply(self.weight)
        scale = self.weight.abs().mean().detach()
        return F.linear(x, wb * scale, self.bias)

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.5) * 2
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

model = nn.Sequential(BinLinear(64, 256), nn.BatchNorm1d(256), nn.ReLU(),
                      BinLinear(256, 128), nn.BatchNorm1d(128), nn.ReLU(),
                      nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
f = open(os.path.join(LOG_DIR, "ste_metrics.csv"), "w", newline="")
wr = csv.writer(f); wr.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
for ep in range(15):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        with torch.no_grad():
            for m in model:
                if isinstance(m, BinLinear): m.weight.clamp_(-1, 1)
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    wr.writerow([ep, round(tot / len(Xtr), 5), round(vl, 5), round(va, 4)])
    print(f"epoch {ep} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
gn = model[0].weight.grad.norm().item() / model[0].weight.norm().item()
print(f"probe: first latent weight grad/weight norm ratio {gn:.2e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4), "chance_acc": 0.1}))
