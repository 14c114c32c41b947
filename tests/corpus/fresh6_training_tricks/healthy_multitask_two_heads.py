# expect:
# allow:
# forbid: *
# evidence: shared trunk + classification head (5 classes) + regression head, loss = CE + 0.5*MSE, RAdam; val_acc 1.000, val_loss 0.005 (chance 0.2) and val_mse 0.053 (target variance 1.03)
"""Multi-task learning on synthetic sensor windows: predict the activity class and the
(standardised) speed from the same shared MLP trunk."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
N_CLASSES, L = 5, 32
t = torch.linspace(0, 1, L)


def make(n):
    cls = torch.randint(0, N_CLASSES, (n,))
    speed = torch.rand(n) * 2 + 0.5
    freq = (cls.float() + 1) * 2.0
    phase = torch.rand(n, 1) * 6.28
    sig = speed[:, None] * torch.sin(freq[:, None] * 6.28 * t[None] + phase)
    sig = sig + 0.3 * torch.randn(n, L)
    return sig, cls, speed


xtr, ctr, str_ = make(4000)
xva, cva, sva = make(1000)
smu, ssd = str_.mean(), str_.std()
str_, sva = (str_ - smu) / ssd, (sva - smu) / ssd


class MultiTask(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(L, 128), nn.ReLU(), nn.LayerNorm(128), nn.Linear(128, 128), nn.ReLU())
        self.cls_head = nn.Linear(128, N_CLASSES)
        self.reg_head = nn.Sequential(nn.Linear(128, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        h = self.trunk(x)
        return self.cls_head(h), self.reg_head(h).squeeze(1)


model = MultiTask()
opt = torch.optim.RAdam(model.parameters(), lr=2e-3)
W_REG = 0.5
for epoch in range(10):
    model.train()
    perm = torch.randperm(len(xtr))
    tot_c = tot_r = 0.0
    for s in range(0, len(xtr), 64):
        idx = perm[s:s + 64]
        logits, pred = model(xtr[idx])
        l_cls = F.cross_entropy(logits, ctr[idx])
        l_reg = F.mse_loss(pred, str_[idx])
        loss = l_cls + W_REG * l_reg
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot_c += l_cls.item() * len(idx)
        tot_r += l_reg.item() * len(idx)
    model.eval()
    with torch.no_grad():
        logits, pred = model(xva)
        val_loss = F.cross_entropy(logits, cva).item()
        val_acc = (logits.argmax(1) == cva).float().mean().item()
        val_mse = F.mse_loss(pred, sva).item()
    print(f"epoch {epoch} train_ce {tot_c / len(xtr):.4f} train_mse {tot_r / len(xtr):.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f} val_mse {val_mse:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4), "val_mse": round(val_mse, 4),
                                      "train_loss": round(tot_c / len(xtr), 4), "train_mse": round(tot_r / len(xtr), 4),
                                      "target_var": round(sva.var().item(), 4), "chance_acc": 1 / N_CLASSES}))
