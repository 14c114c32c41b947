# expect:
# allow:
# forbid: *
# evidence: quantisation-aware training: a CNN on load_digits whose conv/linear weights are fake-quantised to 4 bits in forward via a custom autograd.Function with a straight-through backward, AdamW + CosineAnnealingLR, set_to_none zero_grad; val_acc 0.96, val_loss 0.149, train_loss 0.102 (chance 0.10)
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=10, stratify=y)
Xtr = torch.tensor(Xtr / 16.0 - 0.3, dtype=torch.float32).view(-1, 1, 8, 8); Xva = torch.tensor(Xva / 16.0 - 0.3, dtype=torch.float32).view(-1, 1, 8, 8)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)


class FakeQuant(torch.autograd.Function):
    @staticmethod
    def forward(ctx, w, bits):
        qmax = 2 ** (bits - 1) - 1
        scale = w.abs().max().clamp(min=1e-8) / qmax
        return torch.round(w / scale).clamp(-qmax, qmax) * scale

    @staticmethod
    def backward(ctx, g):
        return g, None  # straight-through


class QConv(nn.Conv2d):
    def forward(self, x):
        return F.conv2d(x, FakeQuant.apply(self.weight, 4), self.bias, self.stride, self.padding)


class QLinear(nn.Linear):
    def forward(self, x):
        return F.linear(x, FakeQuant.apply(self.weight, 4), self.bias)


model = nn.Sequential(QConv(1, 16, 3, padding=1), nn.ReLU(), QConv(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), QLinear(32 * 16, 64), nn.ReLU(), QLinear(64, 10))
epochs = 10
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)
for ep in range(epochs):
    model.train(); tot = 0.0
    for xb, yb in loader:
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)
        loss.backward(); opt.step()
        tot += loss.item() * len(xb)
    sched.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva)
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item(); tl = tot / len(Xtr)
    print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
