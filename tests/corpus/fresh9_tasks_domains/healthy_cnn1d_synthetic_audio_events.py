# expect:
# allow:
# forbid: *
# evidence: 5-class synthetic audio events: val_acc 0.957 (chance 0.2), val_loss 0.33 ~ train 0.33 (label-smoothed CE floor ~0.2)
# 1-D CNN classifying synthetic "audio" clips (1 s @ 1 kHz): 5 event classes -- pure tone, chirp,
# click train, AM tone, band noise -- with random frequency/phase/onset, background noise and gain.
# Conv1d + BatchNorm + GELU + pooling, AdamW + OneCycle, label smoothing.
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
SR, N = 1000, 1000
t = torch.arange(N) / SR


def clip(cls, g):
    f0 = 40 + 160 * torch.rand(1, generator=g).item()
    ph = 2 * math.pi * torch.rand(1, generator=g).item()
    on = int(torch.randint(0, 400, (1,), generator=g))
    dur = int(torch.randint(300, 600, (1,), generator=g))
    env = torch.zeros(N)
    env[on:on + dur] = 1.0
    if cls == 0:
        s = torch.sin(2 * math.pi * f0 * t + ph)
    elif cls == 1:
        s = torch.sin(2 * math.pi * (f0 * t + 150 * t ** 2) + ph)
    elif cls == 2:
        s = torch.zeros(N)
        period = int(torch.randint(20, 60, (1,), generator=g))
        s[::period] = 4.0
    elif cls == 3:
        s = (1 + torch.sin(2 * math.pi * 6 * t)) * torch.sin(2 * math.pi * f0 * t + ph) / 1.5
    else:
        s = torch.randn(N, generator=g)
        s = F.avg_pool1d(s.view(1, 1, -1), 5, 1, 2).view(-1) * 2
    gain = 0.3 + torch.rand(1, generator=g).item()
    return gain * env * s + 0.3 * torch.randn(N, generator=g)


def dataset(n, seed):
    g = torch.Generator().manual_seed(seed)
    ys = torch.randint(0, 5, (n,), generator=g)
    xs = torch.stack([clip(int(c), g) for c in ys]).unsqueeze(1)
    return xs, ys


xtr, ytr = dataset(720, 1)
xva, yva = dataset(300, 2)


def block(cin, cout, k):
    return nn.Sequential(nn.Conv1d(cin, cout, k, padding=k // 2), nn.BatchNorm1d(cout), nn.GELU(), nn.MaxPool1d(4))


model = nn.Sequential(block(1, 16, 9), block(16, 32, 7), block(32, 48, 5),
                      nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(48, 5))
EPOCHS, BS = 6, 32
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-3)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=EPOCHS * math.ceil(len(xtr) / BS))
crit = nn.CrossEntropyLoss(label_smoothing=0.05)


def evaluate(x, y):
    model.eval()
    with torch.no_grad():
        out = model(x)
        return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


for ep in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), BS):
        b = perm[i:i + BS]
        loss = crit(model(xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    vl, va = evaluate(xva, yva)
    print(f"epoch {ep + 1}/{EPOCHS} last_batch_loss {loss.item():.3f} val_loss {vl:.3f} val_acc {va:.3f}")

tl, ta = evaluate(xtr, ytr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "train_acc": round(ta, 4), "chance_acc": 0.2}))
