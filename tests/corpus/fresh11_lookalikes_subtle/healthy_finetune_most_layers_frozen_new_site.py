"""Transfer: a conv net is pre-trained on 8x8 digit scans from "scanner A"; it is then
re-used for "scanner B" (blurred, lower contrast, brighter background, extra noise)
with only 20 labelled images per class. The conv layers and the first FC layer are
frozen (requires_grad=False); only the last hidden layer and a fresh head are trained.

Look-alike: ~90% of the parameters receive no gradient at all during fine-tuning,
and the fine-tuning runs 30 epochs on only 200 images. A monitor could call
this vanishing gradients (zero grads in the early layers) or overfitting (tiny train
set) - yet the held-out accuracy on scanner B is high.
"""
# expect:
# allow:
# forbid: *
# evidence: fine-tuned val_acc 0.926 / val_loss 0.233 on scanner B (chance 0.10, 597 held-out images) from 200 labelled images, train_loss 0.152; zero-shot 0.692; pretrain val_acc on scanner A 0.973; a from-scratch reference on the same 200 images (printed) reaches 0.895; frozen share of parameters 0.89
import json
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)


def seed(s):
    random.seed(s)
    np.random.seed(s)
    torch.manual_seed(s)


class Net(nn.Module):
    def __init__(self, n_out=10):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1),
                                  nn.ReLU(), nn.MaxPool2d(2))
        self.fc1 = nn.Linear(32 * 16, 96)
        self.fc2 = nn.Linear(96, 64)
        self.head = nn.Linear(64, n_out)

    def forward(self, x):
        h = self.conv(x).flatten(1)
        return self.head(F.relu(self.fc2(F.relu(self.fc1(h)))))


def train(model, X, y, epochs, lr, bs=32):
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
    for _ in range(epochs):
        model.train()
        perm = torch.randperm(len(X))
        tot = 0.0
        for i in range(0, len(perm), bs):
            idx = perm[i:i + bs]
            loss = F.cross_entropy(model(X[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
    return tot / len(X)


@torch.no_grad()
def evaluate(model, X, y):
    model.eval()
    out = model(X)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def scanner_b(imgs, gen):
    # lower contrast, a brighter background, a 3x3 blur and sensor noise
    blur = F.avg_pool2d(F.pad(imgs, (1, 1, 1, 1), mode="replicate"), 3, stride=1)
    return 0.6 * (0.5 * imgs + 0.5 * blur) + 0.4 + 0.15 * torch.randn(imgs.shape, generator=gen)


def main():
    seed(15)
    X, y = load_digits(return_X_y=True)
    X = torch.tensor((X / 16.0 - 0.3) / 0.4, dtype=torch.float32).view(-1, 1, 8, 8)
    y = torch.tensor(y)
    perm = torch.randperm(len(X))
    src, tgt = perm[:1000], perm[1000:]
    model = Net()
    train(model, X[src[:850]], y[src[:850]], epochs=6, lr=2e-3)
    _, pre_acc = evaluate(model, X[src[850:]], y[src[850:]])
    print(f"pretrain on scanner A: val_acc {pre_acc:.4f}")

    g = torch.Generator().manual_seed(15)
    Xt = scanner_b(X[tgt], g)
    yt = y[tgt]
    tr_idx = torch.cat([torch.nonzero(yt == c).squeeze(1)[:20] for c in range(10)])
    mask = torch.ones(len(yt), dtype=torch.bool)
    mask[tr_idx] = False
    Xb, yb, Xv, yv = Xt[tr_idx], yt[tr_idx], Xt[mask], yt[mask]
    _, zero_shot = evaluate(model, Xv, yv)
    print(f"zero-shot on scanner B: val_acc {zero_shot:.4f}")

    model.head = nn.Linear(64, 10)
    for p in list(model.conv.parameters()) + list(model.fc1.parameters()):
        p.requires_grad = False
    n_all = sum(p.numel() for p in model.parameters())
    n_frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    print(f"frozen parameters {n_frozen}/{n_all} = {n_frozen / n_all:.2f}")
    tl = train(model, Xb, yb, epochs=30, lr=2e-3, bs=30)
    vl, va = evaluate(model, Xv, yv)
    print(f"fine-tune: train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f} (n_train {len(Xb)}, n_val {len(Xv)})")

    seed(15)
    scratch = Net()
    train(scratch, Xb, yb, epochs=30, lr=2e-3, bs=30)
    _, va_s = evaluate(scratch, Xv, yv)
    print(f"from-scratch reference on the same {len(Xb)} images: val_acc {va_s:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                        "chance_acc": 0.1, "scratch_val_acc": round(va_s, 4), "zero_shot_val_acc": round(zero_shot, 4),
                                        "pretrain_val_acc": round(pre_acc, 4), "frozen_fraction": round(n_frozen / n_all, 3)}))


if __name__ == "__main__":
    main()
