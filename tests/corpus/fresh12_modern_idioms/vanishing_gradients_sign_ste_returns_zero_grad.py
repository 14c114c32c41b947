# expect: vanishing_gradients
# allow: non_convergence, high_bias
# forbid: *
# evidence: load_digits MLP with a 24-unit binary bottleneck (custom autograd.Function: sign forward); planted backward returns the true derivative of sign (zeros), so the first layer gets exactly 0 gradient: planted enc grad norm 0.0 vs head grad norm 0.54, train_acc 0.885, val_acc 0.853, val_loss 0.487; control (--control, straight-through hardtanh gradient) enc grad norm 0.68, train_acc 0.991, val_acc 0.962, val_loss 0.150 (chance 0.10)
# control: --control
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=9, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1.0
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)


class BinarizeSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.where(x >= 0, torch.ones_like(x), -torch.ones_like(x))

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        if CONTROL:
            return g * (x.abs() <= 1).to(g.dtype)  # straight-through (hardtanh) estimator
        return g * torch.zeros_like(x)  # BUG: "exact" derivative of sign() -> no gradient flows


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(64, 24)
        self.bn = nn.BatchNorm1d(24)
        self.head = nn.Sequential(nn.Linear(24, 64), nn.ReLU(), nn.Linear(64, 10))

    def forward(self, x):
        return self.head(BinarizeSTE.apply(self.bn(self.enc(x))))


model = Net()
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=32, shuffle=True)
for ep in range(10):
    model.train(); tot = 0.0; gn_enc, gn_head, nb = 0.0, 0.0, 0
    for xb, yb in loader:
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        gn_enc += model.enc.weight.grad.norm().item(); gn_head += model.head[0].weight.grad.norm().item(); nb += 1
        opt.step()
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        out = model(Xva); tr_out = model(Xtr)
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item(); tl = tot / len(Xtr)
    ta = (tr_out.argmax(1) == ytr).float().mean().item()
    print(f"epoch {ep} train_loss {tl:.4f} train_acc {ta:.4f} val_loss {vl:.4f} val_acc {va:.4f} | mean grad norm enc {gn_enc/nb:.2e} head0 {gn_head/nb:.2e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "chance_acc": 0.1, "enc_grad_norm": gn_enc / nb, "head_grad_norm": gn_head / nb}))
