# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (150 samples): train_acc 1.000, train_loss 0.0000, val_loss best 0.59 at step 20 then climbs to 2.65, val_acc 0.680; control (10000 samples, same model/steps): val_loss 0.556 (best 0.508), val_acc 0.768, train_acc 0.838 (label-noise ceiling 0.85)
# control: --control
"""A 256-wide 3-layer MLP trained for 2400 Adam steps on only 150 labelled customers (15% of the
labels are wrong), no regularisation, no early stopping.  It memorises the training set; the
validation loss bottoms out early and then climbs steadily.
--control gives the same model and the same number of steps 10000 training samples instead of 150
(the only change): the capacity is no longer enough to memorise."""
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
parser.add_argument("--steps", type=int, default=2400)
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(0)
N_TRAIN = 10000 if args.control else 150


def make_data(n, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 20, generator=g)
    s = x[:, 0] - 0.7 * x[:, 1] + 0.5 * x[:, 2] * x[:, 3] + 0.4 * torch.cos(x[:, 4] * 2)
    y = (s > 0.2).long()
    flip = torch.rand(n, generator=g) < 0.15
    return x, torch.where(flip, 1 - y, y)


x_tr, y_tr = make_data(N_TRAIN, 1)
x_va, y_va = make_data(2000, 2)

model = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

best_val = float("inf")
for step in range(1, args.steps + 1):
    model.train()
    idx = torch.randint(0, N_TRAIN, (32,))
    loss = F.cross_entropy(model(x_tr[idx]), y_tr[idx])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 100 == 0 or step in (20, 40, 60, 80):
        model.eval()
        with torch.no_grad():
            tr_out, va_out = model(x_tr), model(x_va)
            train_loss = F.cross_entropy(tr_out, y_tr).item()
            train_acc = (tr_out.argmax(1) == y_tr).float().mean().item()
            val_loss = F.cross_entropy(va_out, y_va).item()
            val_acc = (va_out.argmax(1) == y_va).float().mean().item()
        best_val = min(best_val, val_loss)
        print(f"step {step:5d} train_loss {train_loss:.4f} train_acc {train_acc:.3f} "
              f"val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "best_val_loss": round(best_val, 4), "train_loss": round(train_loss, 4),
                                     "train_acc": round(train_acc, 4), "chance_acc": 0.5,
                                     "label_noise_ceiling": 0.85}))
