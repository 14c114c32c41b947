# expect:
# allow:
# forbid: *
# evidence: dilated causal TCN + early stopping (patience 3, best restored, stops ~epoch 20); held-out acc 1.00, val_loss 0.027 vs train 0.014 (chance 0.2)
# Dilated causal temporal ConvNet (TCN) classifying synthetic sensor traces into 5 activity
# classes (frequency / burst pattern differs by class). Small data, so training uses a
# patience-based early stopping on validation loss and restores the best checkpoint.
import copy, json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(12)
rng = np.random.default_rng(12)
T, CH, K = 96, 3, 5


def trace(c):
    t = np.arange(T)
    f = [0.05, 0.08, 0.12, 0.05, 0.08][c]
    x = np.stack([np.sin(2 * np.pi * f * t + rng.uniform(0, 6.3)) for _ in range(CH)])
    if c >= 3:  # bursty classes: amplitude modulation
        x *= (np.sin(2 * np.pi * 0.015 * t + rng.uniform(0, 6.3)) > 0)
    x += rng.normal(0, 0.8, size=x.shape)
    return x.astype(np.float32)


def make(n):
    y = rng.integers(0, K, n)
    return torch.tensor(np.stack([trace(c) for c in y])), torch.tensor(y)


class CausalConv(nn.Conv1d):
    def __init__(self, cin, cout, k, dil):
        super().__init__(cin, cout, k, dilation=dil)
        self.left = (k - 1) * dil

    def forward(self, x):
        return super().forward(F.pad(x, (self.left, 0)))


class TCN(nn.Module):
    def __init__(self, hid=32):
        super().__init__()
        layers, cin = [], CH
        for d in (1, 2, 4, 8):
            layers += [CausalConv(cin, hid, 3, d), nn.BatchNorm1d(hid), nn.ReLU(), nn.Dropout(0.1)]
            cin = hid
        self.net = nn.Sequential(*layers)
        self.fc = nn.Linear(hid, K)

    def forward(self, x):
        return self.fc(self.net(x).mean(-1))


xtr, ytr = make(600)
xva, yva = make(400)
model = TCN()
opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)
best, best_state, bad, patience = float("inf"), None, 0, 3
for epoch in range(25):
    model.train()
    for idx in torch.randperm(len(xtr)).split(32):
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
    model.eval()
    with torch.no_grad():
        vo = model(xva); vl = F.cross_entropy(vo, yva).item(); va = (vo.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch:2d} last_train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    if vl < best - 1e-4:
        best, best_state, bad = vl, copy.deepcopy(model.state_dict()), 0
    else:
        bad += 1
        if bad >= patience:
            print(f"early stopping at epoch {epoch}, restoring best (val_loss {best:.4f})")
            break

model.load_state_dict(best_state)
model.eval()
with torch.no_grad():
    vo = model(xva); vl = F.cross_entropy(vo, yva).item(); va = (vo.argmax(1) == yva).float().mean().item()
    to = model(xtr); tl = F.cross_entropy(to, ytr).item(); ta = (to.argmax(1) == ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": 0.2}))
