# expect: high_variance
# allow: overfitting
# forbid: *
# evidence: planted (40 train snippets): train_acc 1.00 / train_loss 0.000 vs val_acc 0.545 / val_loss 2.47 (chance 0.33); control (2000 snippets): val_acc 0.98, val_loss 0.045
# control: --control
"""Fault detection on vibration snippets with a wide MLP on the raw waveform. Only 40
labelled snippets made it into the training set (the rest sat in an unlabelled folder), so
the MLP memorises them: train error ~0, validation error large."""
import argparse
import json
import math
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true", help="train on the full 2000 labelled snippets")
a = ap.parse_args()
torch.manual_seed(6)
torch.set_num_threads(1)

L = 128


def vib(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 3, (n,), generator=g)  # 0 healthy, 1 imbalance, 2 bearing fault
    t = torch.arange(L).float()
    ph = 2 * math.pi * torch.rand(n, 1, generator=g)
    x = torch.sin(2 * math.pi * 0.05 * t + ph)
    x = x + (y == 1).float()[:, None] * 0.8 * torch.sin(2 * math.pi * 0.025 * t + ph)
    x = x + (y == 2).float()[:, None] * 0.6 * torch.sin(2 * math.pi * 0.21 * t + 2 * ph)
    x = x + 0.9 * torch.randn(n, L, generator=g)
    return x, y


n_train = 2000 if a.control else 40
Xtr, Ytr = vib(n_train, 100)
Xva, Yva = vib(1000, 200)

model = nn.Sequential(nn.Linear(L, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
ce = nn.CrossEntropyLoss()
steps = 400
bs = 32
for s in range(steps):
    idx = torch.randint(0, n_train, (bs,))
    loss = ce(model(Xtr[idx]), Ytr[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    if (s + 1) % 100 == 0:
        with torch.no_grad():
            tr_out, va_out = model(Xtr), model(Xva)
            tl, vl = ce(tr_out, Ytr).item(), ce(va_out, Yva).item()
            ta = (tr_out.argmax(1) == Ytr).float().mean().item()
            va = (va_out.argmax(1) == Yva).float().mean().item()
        print(f"step {s+1}: train_loss={tl:.4f} train_acc={ta:.3f} val_loss={vl:.4f} val_acc={va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": 0.3333}))
