# expect:
# allow:
# forbid: *
# evidence: 8 epochs AdamW + OneCycle (max 3e-3) under bf16 autocast: train_loss 0.011, val_loss 0.012, val_acc 1.000 (chance 0.167)
"""Mixed precision on CPU: forward + loss under torch.autocast(device_type="cpu", dtype=torch.bfloat16),
fp32 master weights, OneCycleLR, a small residual 1-D CNN on synthetic sensor windows (6 activity classes)."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)

N_CLASSES, LEN = 6, 64


def make_windows(n, gen):
    """Accelerometer-like windows: each activity has its own frequency / amplitude / harmonic mix."""
    y = torch.randint(0, N_CLASSES, (n,), generator=gen)
    t = torch.linspace(0, 1, LEN)
    freq = 2.0 + 1.5 * y.float()
    phase = torch.rand(n, 1, generator=gen) * 2 * math.pi
    amp = 1.0 + 0.25 * (y % 3).float()
    base = amp[:, None] * torch.sin(2 * math.pi * freq[:, None] * t + phase)
    harm = 0.5 * (y >= 3).float()[:, None] * torch.sin(4 * math.pi * freq[:, None] * t + 2 * phase)
    x = torch.stack([base + harm, torch.cos(2 * math.pi * freq[:, None] * t + phase), base * 0.3], 1)
    x = x + 0.6 * torch.randn(n, 3, LEN, generator=gen)
    return x, y


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv1d(c, c, 5, padding=2)
        self.bn1 = nn.BatchNorm1d(c)
        self.conv2 = nn.Conv1d(c, c, 5, padding=2)
        self.bn2 = nn.BatchNorm1d(c)

    def forward(self, x):
        return F.relu(x + self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))


class Net(nn.Module):
    def __init__(self, c=24):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(3, c, 7, padding=3), nn.BatchNorm1d(c), nn.ReLU())
        self.blocks = nn.Sequential(ResBlock(c), nn.MaxPool1d(2), ResBlock(c))
        self.fc = nn.Linear(c, N_CLASSES)

    def forward(self, x):
        return self.fc(self.blocks(self.stem(x)).mean(-1))


gen = torch.Generator().manual_seed(0)
x_train, y_train = make_windows(1500, gen)
x_val, y_val = make_windows(600, gen)

model = Net()
epochs, bs = 8, 50
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=epochs * (len(x_train) // bs))


def run_eval(x, y):
    model.eval()
    with torch.no_grad(), torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        logits = model(x)
    logits = logits.float()
    return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


for epoch in range(epochs):
    model.train()
    perm = torch.randperm(len(x_train))
    running = 0.0
    for i in range(0, len(x_train), bs):
        idx = perm[i:i + bs]
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
            logits = model(x_train[idx])
            loss = F.cross_entropy(logits, y_train[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        running += loss.item()
    vl, va = run_eval(x_val, y_val)
    print(f"epoch {epoch} train_loss {running / (len(x_train) // bs):.4f} val_loss {vl:.4f} val_acc {va:.4f} "
          f"logits dtype {logits.dtype}")

tl, ta = run_eval(x_train, y_train)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(1 / N_CLASSES, 4)}))
