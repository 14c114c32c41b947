# expect:
# allow:
# forbid: *
# evidence: raw-tensor 2-layer ReLU MLP, p.data.add_(grad, alpha=-lr); teacher-net labels; val acc 0.895 (train 0.930, majority rate 0.33), val loss still falling
import json
import math

import torch
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader

torch.set_num_threads(1)
torch.manual_seed(42)

D, H, C = 10, 128, 4

# --- data: labels are argmax of a fixed random teacher network -------------
tW1 = torch.randn(D, 8) * 0.5
tW2 = torch.randn(8, C)


def teacher(x):
    return torch.argmax(torch.tanh(x @ tW1) @ tW2, dim=1)


X = torch.randn(12000, D)
Y = teacher(X)
Xtr, Ytr = X[:10000], Y[:10000]
Xva, Yva = X[10000:], Y[10000:]
print("class counts:", torch.bincount(Ytr, minlength=C).tolist())

train_dl = DataLoader(TensorDataset(Xtr, Ytr), batch_size=64, shuffle=True)

# --- model: plain tensors -----------------------------------------------------
W1 = (torch.randn(D, H) * math.sqrt(2.0 / D)).requires_grad_()
b1 = torch.zeros(H, requires_grad=True)
W2 = (torch.randn(H, C) / math.sqrt(H)).requires_grad_()
b2 = torch.zeros(C, requires_grad=True)
params = [W1, b1, W2, b2]


def forward(x):
    h = torch.relu(x @ W1 + b1)
    return h @ W2 + b2


lr = 0.3
for epoch in range(1, 21):
    tot, nb = 0.0, 0
    for xb, yb in train_dl:
        loss = F.cross_entropy(forward(xb), yb)
        loss.backward()
        for p in params:
            p.data.add_(p.grad, alpha=-lr)
            p.grad.zero_()
        tot += loss.item(); nb += 1
    with torch.no_grad():
        out = forward(Xva)
        vl = F.cross_entropy(out, Yva).item()
        va = (out.argmax(1) == Yva).float().mean().item()
    print("epoch %2d  train loss %.4f  val loss %.4f  val acc %.3f" % (epoch, tot / nb, vl, va))

with torch.no_grad():
    tl = F.cross_entropy(forward(Xtr), Ytr).item()
    ta = (forward(Xtr).argmax(1) == Ytr).float().mean().item()
chance = (torch.bincount(Yva, minlength=C).max().item()) / len(Yva)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": round(chance, 4)}))
