# expect:
# allow:
# forbid: *
# evidence: val_acc 0.979 (chance 0.167), val_loss 0.27 (train loss 0.61 is the label-smoothed loss)
"""Tiny 'keyword spotting' style 1-D CNN on synthetic waveforms: each class is a tone
pattern (pitch band + modulation) buried in noise with random phase / onset. AdamW, linear
warm-up then cosine decay (LambdaLR), label smoothing, dropout, gradient clipping."""
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import Dataset, DataLoader

torch.manual_seed(4)
torch.set_num_threads(1)
SR, L, NCLS = 2000, 256, 6


def make_waves(n, g):
    y = torch.randint(0, NCLS, (n,), generator=g)
    t = torch.arange(L) / SR
    base = torch.tensor([90., 140., 200., 90., 140., 200.])[y]
    f = base * (1 + 0.08 * torch.randn(n, generator=g))
    am = torch.where(y >= 3, torch.tensor(25.0), torch.tensor(0.0))  # classes 3-5 are tremolo
    phase = 2 * math.pi * torch.rand(n, 1, generator=g)
    sig = torch.sin(2 * math.pi * f[:, None] * t[None] + phase)
    sig = sig * (1 + 0.9 * torch.sin(2 * math.pi * am[:, None] * t[None]))
    onset = torch.randint(0, L // 3, (n,), generator=g)
    env = (torch.arange(L)[None] >= onset[:, None]).float()
    x = sig * env + 0.8 * torch.randn(n, L, generator=g)
    return x.unsqueeze(1), y


class Waves(Dataset):
    def __init__(self, n, seed):
        g = torch.Generator().manual_seed(seed)
        self.x, self.y = make_waves(n, g)
        self.x = (self.x - self.x.mean()) / self.x.std()

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


class KWS(nn.Module):
    def __init__(self):
        super().__init__()
        self.feat = nn.Sequential(
            nn.Conv1d(1, 16, 9, stride=2, padding=4), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 32, 9, stride=2, padding=4), nn.BatchNorm1d(32), nn.ReLU(),
            nn.Conv1d(32, 48, 5, stride=2, padding=2), nn.BatchNorm1d(48), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1),
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(48, NCLS))

    def forward(self, x):
        return self.head(self.feat(x))


train_dl = DataLoader(Waves(2000, 10), batch_size=64, shuffle=True)
val_ds = Waves(1000, 11)
model = KWS()
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
epochs = 6
total = epochs * len(train_dl)
warm = 30
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))
crit = nn.CrossEntropyLoss(label_smoothing=0.1)

for ep in range(epochs):
    model.train()
    tl, n = 0.0, 0
    for xb, yb in train_dl:
        loss = crit(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        tl += loss.item() * len(yb)
        n += len(yb)
    model.eval()
    with torch.no_grad():
        lo = model(val_ds.x)
        vl = F.cross_entropy(lo, val_ds.y).item()
        vacc = (lo.argmax(1) == val_ds.y).float().mean().item()
    print(f"epoch {ep+1}/{epochs} lr {sched.get_last_lr()[0]:.2e} train_loss {tl/n:.4f} val_loss {vl:.4f} val_acc {vacc:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(tl / n, 4), "chance_acc": round(1 / NCLS, 4)}))
