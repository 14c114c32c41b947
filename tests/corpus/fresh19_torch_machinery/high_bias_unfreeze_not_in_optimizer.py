# expect: high_bias
# allow: non_convergence, learning_rate_too_low, dead_units
# forbid: *
# evidence: planted (encoder unfrozen but never in the optimizer) train_acc 0.386, train_loss 2.133, val_acc 0.344 after 40 epochs; control (optimizer over all params) train_acc 0.991, train_loss 0.039, val_acc 0.969
# control: --control
"""Two-phase schedule: head-only warm-up, then unfreeze the encoder.

The network is assembled from a config dict into an nn.ModuleDict. The
encoder is frozen for the first epochs and unfrozen at UNFREEZE_AT.
"""
import argparse
import json
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
args = p.parse_args()

torch.manual_seed(1)
torch.set_num_threads(1)

CFG = {
    "encoder": [("linear", 64, 32), ("relu",), ("linear", 32, 6), ("relu",)],
    "head": [("linear", 6, 10)],
    "lr": 3e-3,
    "epochs": 40,
    "unfreeze_at": 5,
}


def build(spec):
    layers = []
    for item in spec:
        kind = item[0]
        if kind == "linear":
            layers.append(nn.Linear(item[1], item[2]))
        elif kind == "relu":
            layers.append(nn.ReLU())
        else:
            raise ValueError(kind)
    return nn.Sequential(*layers)


net = nn.ModuleDict({name: build(CFG[name]) for name in ("encoder", "head")})


def forward(x):
    return net["head"](net["encoder"](x))


def set_trainable(module, flag):
    for prm in module.parameters():
        prm.requires_grad_(flag)


X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X / 16.0, y, test_size=0.3, random_state=3, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

set_trainable(net["encoder"], False)
if args.control:
    opt = torch.optim.Adam(net.parameters(), lr=CFG["lr"])
else:
    opt = torch.optim.Adam([q for q in net.parameters() if q.requires_grad], lr=CFG["lr"])

for epoch in range(CFG["epochs"]):
    if epoch == CFG["unfreeze_at"]:
        set_trainable(net["encoder"], True)
        print("unfroze encoder")
    net.train()
    perm = torch.randperm(len(Xtr))
    tot, n = 0.0, 0
    for i in range(0, len(perm), 32):
        b = perm[i:i + 32]
        loss = F.cross_entropy(forward(Xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
        n += len(b)
    net.eval()
    with torch.no_grad():
        lo = forward(Xva)
        vl = F.cross_entropy(lo, yva).item()
        va = (lo.argmax(1) == yva).float().mean().item()
        ta = (forward(Xtr).argmax(1) == ytr).float().mean().item()
    print(f"ep {epoch} loss {tot / n:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / n, 4),
                                     "train_acc": round(ta, 4), "chance_acc": 0.1}))
