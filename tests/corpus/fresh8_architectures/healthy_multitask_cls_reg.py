# expect:
# allow:
# forbid: *
# evidence: val_acc 0.907 (majority 0.417; 0.3 logit noise in labels), val reg mse 0.127 vs target_var 6.13, val total loss 0.317 vs train 0.166
# shared trunk + two heads: 3-way classification (CE) and a continuous target (MSE); loss computed inside forward()
import json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
rng = np.random.default_rng(0)

N_FEAT = 16
A = rng.normal(size=(N_FEAT, 8))
B = rng.normal(size=(8, 3))
c = rng.normal(size=8)


def generate(n):
    X = rng.normal(size=(n, N_FEAT)).astype(np.float32)
    H = np.tanh(X @ A / 3)
    cls = (H @ B + 0.3 * rng.normal(size=(n, 3))).argmax(1)
    reg = (H @ c + 0.5 * np.sin(X[:, 0] * 2) + 0.1 * rng.normal(size=n)).astype(np.float32)
    return torch.from_numpy(X), torch.from_numpy(cls), torch.from_numpy(reg)


class MultiTaskNet(nn.Module):
    def __init__(self, w_reg=0.5):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(N_FEAT, 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, 64), nn.ReLU())
        self.cls_head = nn.Linear(64, 3)
        self.reg_head = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
        self.w_reg = w_reg

    def forward(self, x, y_cls=None, y_reg=None):
        h = self.trunk(x)
        logits, pred = self.cls_head(h), self.reg_head(h).squeeze(-1)
        if y_cls is None:
            return logits, pred
        l_cls = F.cross_entropy(logits, y_cls)
        l_reg = F.mse_loss(pred, y_reg)
        return l_cls + self.w_reg * l_reg, l_cls.detach(), l_reg.detach()


Xtr, Ctr, Rtr = generate(4000)
Xva, Cva, Rva = generate(1000)
net = MultiTaskNet()
opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-4)
for epoch in range(1, 31):
    net.train()
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 32):
        b = perm[i:i + 32]
        loss, lc, lr_ = net(Xtr[b], Ctr[b], Rtr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 5 == 0:
        net.eval()
        with torch.no_grad():
            vloss, vc, vr = net(Xva, Cva, Rva)
            tloss, tc, tr = net(Xtr, Ctr, Rtr)
            vacc = (net(Xva)[0].argmax(1) == Cva).float().mean().item()
        print(f"epoch {epoch}: train total {tloss:.4f} (ce {tc:.4f}, mse {tr:.4f}) | val total {vloss:.4f} (ce {vc:.4f}, mse {vr:.4f}) acc {vacc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss.item(), 4), "train_loss": round(tloss.item(), 4), "val_acc": round(vacc, 4),
                                      "chance_acc": round(torch.bincount(Cva).max().item() / len(Cva), 4),
                                      "val_mse": round(vr.item(), 4), "target_var": round(Rva.var().item(), 4)}))
