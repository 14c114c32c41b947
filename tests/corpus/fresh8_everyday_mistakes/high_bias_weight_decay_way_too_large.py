# expect: high_bias
# allow: non_convergence, vanishing_gradients, learning_rate_too_low, dead_units, class_imbalance
# forbid: *
# evidence: planted (SGD weight_decay 0.3): |w| shrinks to 0.36, train_acc 0.292, train_loss 1.560, val_acc 0.270 = majority rate 0.27 (predicts one class); control (wd 5e-4) train_acc 0.947, train_loss 0.139, val_acc 0.847, val_loss 0.445
# control: --control
"""weight_decay=0.05 copied from an AdamW recipe into plain SGD, and then "a bit more" -> 0.3 (coupled L2):
the weights are pulled to ~0 every step and the network cannot fit even the training set."""
import argparse, json
import torch
from torch import nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true", help="weight_decay=5e-4")
ap.add_argument("--wd", type=float, default=0.3)
a = ap.parse_args()
wd = 5e-4 if a.control else a.wd
torch.manual_seed(13); torch.set_num_threads(1)

g = torch.Generator().manual_seed(130)
P = torch.randn(20, 8, generator=g) / 20 ** 0.5; Q = torch.randn(8, 5, generator=g)
X = torch.randn(5000, 20, generator=g); Y = (torch.tanh(X @ P) @ Q).argmax(1)
tr, va = slice(0, 4000), slice(4000, 5000)

model = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 5))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=wd)
crit = nn.CrossEntropyLoss()

for ep in range(15):
    model.train(); perm = torch.randperm(4000); s = 0
    for i in range(0, 4000, 64):
        j = perm[i:i + 64]
        loss = crit(model(X[tr][j]), Y[tr][j])
        opt.zero_grad(); loss.backward(); opt.step(); s += loss.item()
    model.eval()
    with torch.no_grad():
        o = model(X[va]); vl = crit(o, Y[va]).item(); vacc = (o.argmax(1) == Y[va]).float().mean().item()
        wnorm = sum(p.norm() ** 2 for p in model.parameters()).sqrt().item()
    print(f"ep {ep} wd {wd} train {s / 63:.4f} val {vl:.4f} acc {vacc:.3f} |w| {wnorm:.3f}")

with torch.no_grad():
    o = model(X[tr]); tl = crit(o, Y[tr]).item(); tacc = (o.argmax(1) == Y[tr]).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4),
                                      "train_acc": round(tacc, 4), "chance_acc": round(Y[va].bincount().max().item() / 1000, 3)}))
