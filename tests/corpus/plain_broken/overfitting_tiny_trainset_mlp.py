# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (80 train examples, 300 steps): train_loss 0.0004 / train_acc 1.0 while val_loss rises 0.90 (step 25) -> 2.02, val_acc 0.621; control (2400 examples, same model and steps): val_loss 0.663, val_acc 0.747
# control: --control
"""A 2x256 MLP trained for 300 Adam steps on only 80 examples of a noisy 4-class problem: it
memorises the training set while validation loss climbs. Control: the same model and the
same number of steps on 2,400 training examples."""
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="use the full training set")
parser.add_argument("--steps", type=int, default=300)
args = parser.parse_args()
n_train = 2400 if args.control else 80

torch.set_num_threads(1)
torch.manual_seed(0)

g = torch.Generator().manual_seed(17)
MU = torch.randn(4, 16, generator=g) * 0.55


def draw(n):
    y = torch.randint(0, 4, (n,), generator=g)
    return MU[y] + torch.randn(n, 16, generator=g), y


x_val, y_val = draw(1500)
x_pool, y_pool = draw(2400)
x_tr, y_tr = x_pool[:n_train], y_pool[:n_train]

model = nn.Sequential(nn.Linear(16, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 4))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
BATCH = 80

for step in range(1, args.steps + 1):
    idx = torch.randint(0, n_train, (BATCH,)) if n_train > BATCH else torch.arange(n_train)
    model.train()
    loss = F.cross_entropy(model(x_tr[idx]), y_tr[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 25 == 0:
        model.eval()
        with torch.no_grad():
            tr_out = model(x_tr)
            tl = F.cross_entropy(tr_out, y_tr).item()
            ta = (tr_out.argmax(1) == y_tr).float().mean().item()
            va_out = model(x_val)
            vl = F.cross_entropy(va_out, y_val).item()
            va = (va_out.argmax(1) == y_val).float().mean().item()
        print(f"step {step:4d} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": 0.25}))
