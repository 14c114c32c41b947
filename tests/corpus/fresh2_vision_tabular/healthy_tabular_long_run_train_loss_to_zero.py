# expect:
# allow:
# forbid: *
# evidence: val_acc 0.970 (chance 0.25, labels noise-free); final val_loss 0.0866 vs best 0.0811 (flat within 7% over the last 35 epochs) while train_loss falls 0.036 -> 0.0093
"""Long run on a clean, noise-free tabular rule: 'machine state' (4 classes) is a deterministic
function of 10 sensor readings and a categorical 'line' column (x8, embedded). Labels have no
noise, there are plenty of rows, so 80 epochs of AdamW + per-step cosine decay drive the train
loss to ~0.01 (train acc 0.9999) while val loss/acc stay at their best - memorising here
is just learning the rule. Batch 256, weight decay 1e-4."""
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(12)
rng = np.random.default_rng(12)
D, LINES = 10, 8
line_shift = rng.normal(0, 0.6, LINES)


def rule(x, line):
    a = x[:, 0] + 0.8 * x[:, 1] * x[:, 2] + line_shift[line]
    b = np.sin(1.5 * x[:, 3]) + 0.6 * x[:, 4] - 0.4 * x[:, 5] ** 2
    return (a > 0).astype(np.int64) * 2 + (b > 0).astype(np.int64)


def make(n):
    x = rng.normal(0, 1, (n, D)).astype(np.float32)
    line = rng.integers(0, LINES, n)
    return torch.from_numpy(x), torch.from_numpy(line).long(), torch.from_numpy(rule(x, line))


Xtr, Ltr, Ytr = make(12000)
Xva, Lva, Yva = make(3000)


class StateNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.line = nn.Embedding(LINES, 4)
        self.body = nn.Sequential(nn.Linear(D + 4, 128), nn.SiLU(), nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 4))

    def forward(self, x, l):
        return self.body(torch.cat([x, self.line(l)], 1))


EPOCHS, BS = 80, 256
model = StateNet()
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS * ((len(Ytr) + BS - 1) // BS), eta_min=1e-5)


def train_one_epoch():
    model.train()
    perm = torch.randperm(len(Ytr))
    tot, hit = 0.0, 0
    for i in range(0, len(perm), BS):
        b = perm[i:i + BS]
        out = model(Xtr[b], Ltr[b])
        loss = F.cross_entropy(out, Ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        tot += loss.item() * len(b)
        hit += (out.argmax(1) == Ytr[b]).sum().item()
    return {"train_loss": tot / len(perm), "train_acc": hit / len(perm)}


@torch.no_grad()
def evaluate():
    model.eval()
    out = model(Xva, Lva)
    return {"val_loss": F.cross_entropy(out, Yva).item(), "val_acc": (out.argmax(1) == Yva).float().mean().item()}


best_val = float("inf")
for ep in range(EPOCHS):
    m = train_one_epoch()
    m.update(evaluate())
    best_val = min(best_val, m["val_loss"])
    if ep % 5 == 0 or ep == EPOCHS - 1:
        print(f"epoch {ep:3d} lr {sched.get_last_lr()[0]:.2e} train_loss {m['train_loss']:.5f} train_acc {m['train_acc']:.4f} "
              f"val_loss {m['val_loss']:.5f} val_acc {m['val_acc']:.4f} (best val_loss {best_val:.5f})")

print("CORPUS_METRIC " + json.dumps({k: round(v, 5) for k, v in m.items()} | {"best_val_loss": round(best_val, 5), "chance_acc": 0.25}))
