# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: machine-fault detection with 3.1% positive windows (94 of 3000), 1-d CNN + plain cross-entropy (label smoothing 0.05); planted fault recall 0.163, balanced acc 0.581 while val_acc 0.972 ~= majority rate 0.967; --control (class-balanced batch sampling, weights 1/freq) fault recall 0.633, balanced acc 0.796
# control: --control
"""Vibration windows -> fault / no-fault. A small 1-d CNN with global max-pooling reads the window; faults are rare and subtle
(a weak high-frequency burst)."""
import json
import math
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv
L = 40
t = torch.arange(L).float()


def make(n, pos_rate=0.03):
    y = (torch.rand(n) < pos_rate).long()
    base = torch.sin(2 * math.pi * t / (10 + 4 * torch.rand(n, 1))) + 0.5 * torch.randn(n, L)
    start = torch.randint(0, L - 10, (n, 1))
    burst = ((t >= start) & (t < start + 10)).float() * torch.sin(2.6 * t) * 0.8
    x = base + burst * y[:, None].float()
    return x.unsqueeze(-1), y


xtr, ytr = make(3000)
xva, yva = make(1500)


class Detector(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
                                  nn.Conv1d(16, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU())
        self.head = nn.Linear(16, 2)

    def forward(self, x):
        h = self.conv(x.transpose(1, 2))          # (N, 16, L)
        return self.head(h.amax(2))


model = Detector()
crit = nn.CrossEntropyLoss(label_smoothing=0.05)
if CONTROL:   # re-balance the batches: sample each window with weight 1/freq(class)  (WeightedRandomSampler style)
    freq = torch.bincount(ytr, minlength=2).float() / len(ytr)
    sample_w = (1 / freq)[ytr]
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
print("train label counts", torch.bincount(ytr).tolist())

for epoch in range(6):
    model.train()
    perm = torch.multinomial(sample_w, len(xtr), replacement=True) if CONTROL else torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 64):
        idx = perm[s:s + 64]
        loss = crit(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        lv = model(xva)
        val_loss = F.cross_entropy(lv, yva).item()
        pred = lv.argmax(1)
        val_acc = (pred == yva).float().mean().item()
        rec_pos = (pred[yva == 1] == 1).float().mean().item()
        rec_neg = (pred[yva == 0] == 0).float().mean().item()
    train_loss = tot / len(xtr)
    print(f"epoch {epoch} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f} recall_fault {rec_pos:.3f} bal_acc {(rec_pos + rec_neg) / 2:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4), "train_loss": round(train_loss, 4),
                                      "minority_recall": round(rec_pos, 4), "balanced_acc": round((rec_pos + rec_neg) / 2, 4),
                                      "majority_rate": round(1 - yva.float().mean().item(), 4)}))
