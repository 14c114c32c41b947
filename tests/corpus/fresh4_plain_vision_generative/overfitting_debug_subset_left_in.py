# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (train set truncated to 96 images by a leftover debug slice) train_loss 0.50 -> 0.0001, val_loss 2.11 -> 3.60 (rises), val_acc 0.250; control (all 3000 images, same 600-step budget) val_loss 0.291, val_acc 0.895 (chance 0.125)
# control: --control
"""Noisy dot-matrix character recogniser (letters A-H rendered from 5x5 bitmaps)."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

DEBUG_SUBSET = "--control" not in sys.argv
torch.set_num_threads(1)
torch.manual_seed(77)

LETTERS = {
    "A": "01110 10001 11111 10001 10001", "B": "11110 10001 11110 10001 11110",
    "C": "01111 10000 10000 10000 01111", "D": "11110 10001 10001 10001 11110",
    "E": "11111 10000 11110 10000 11111", "F": "11111 10000 11110 10000 10000",
    "G": "01111 10000 10011 10001 01111", "H": "10001 10001 11111 10001 10001",
}
KEYS = sorted(LETTERS)
BM = torch.stack([torch.tensor([[float(c) for c in row] for row in LETTERS[k].split()]) for k in KEYS])


def render(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, len(KEYS), (n,), generator=g)
    x = torch.zeros(n, 1, 16, 16)
    for i in range(n):
        big = BM[y[i]].repeat_interleave(2, 0).repeat_interleave(2, 1)             # 10 x 10
        oy, ox = torch.randint(0, 7, (2,), generator=g).tolist()
        x[i, 0, oy:oy + 10, ox:ox + 10] = big
    x = x + 0.45 * torch.randn(x.shape, generator=g)
    return x, y


x_train, y_train = render(3000, seed=1)
x_val, y_val = render(600, seed=2)
if DEBUG_SUBSET:
    x_train, y_train = x_train[:96], y_train[:96]        # TODO remove: quick iteration while debugging

net = nn.Sequential(nn.Flatten(), nn.Linear(256, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
                    nn.Linear(256, len(KEYS)))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
STEPS, BS, EVAL_EVERY = 600, 32, 20

step, history = 0, []
while step < STEPS:
    perm = torch.randperm(len(x_train))
    for i in range(0, len(x_train) - BS + 1, BS):
        idx = perm[i:i + BS]
        net.train()
        loss = F.cross_entropy(net(x_train[idx]), y_train[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % EVAL_EVERY == 0:
            net.eval()
            with torch.no_grad():
                tr_loss = F.cross_entropy(net(x_train), y_train).item()
                out = net(x_val)
                vl = F.cross_entropy(out, y_val).item()
                va = (out.argmax(1) == y_val).float().mean().item()
            history.append(vl)
            print(f"step {step:4d}: train_loss {tr_loss:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
        if step >= STEPS:
            break

print(f"best val_loss {min(history):.4f} at eval {history.index(min(history))}, final {history[-1]:.4f}")
print("CORPUS_METRIC " + json.dumps({"train_loss": round(tr_loss, 5), "val_loss": round(vl, 4),
                                     "val_acc": round(va, 4), "best_val_loss": round(min(history), 4),
                                     "n_train": len(x_train), "chance_acc": 1 / len(KEYS)}))
