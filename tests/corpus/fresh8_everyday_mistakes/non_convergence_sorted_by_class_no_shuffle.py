# expect: non_convergence
# allow: high_variance, overfitting, class_imbalance, learning_rate_too_high, high_bias, exploding_gradients
# forbid: *
# evidence: planted (label-sorted rows, shuffle=False): per-epoch train loss 2.3 -> 7.3 -> 19.8 ... 4.1, val_loss 20-53 in early epochs, final val_acc 0.729, val_loss 1.447, train_loss 1.707; control (shuffle=True) val_acc 0.940, val_loss 0.155, train_loss 0.148 (majority 0.212)
# control: --control
"""Rows come from a CSV-like table grouped by class and the DataLoader has shuffle=False: every epoch the
model sees all class-0 rows, then all class-1 rows, ... and forgets the earlier classes."""
import argparse, json
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="shuffle=True")
opts = parser.parse_args()
torch.manual_seed(9); torch.set_num_threads(1)

g = torch.Generator().manual_seed(90)
means = torch.randn(5, 10, generator=g) * 1.2
y_all = torch.randint(0, 5, (5000,), generator=g)
x_all = means[y_all] + torch.randn(5000, 10, generator=g)
x_tr, y_tr, x_va, y_va = x_all[:4000], y_all[:4000], x_all[4000:], y_all[4000:]
order = torch.argsort(y_tr, stable=True)          # table exported sorted by label
x_tr, y_tr = x_tr[order], y_tr[order]

loader = DataLoader(TensorDataset(x_tr, y_tr), batch_size=64, shuffle=opts.control)
net = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 5))
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
ce = nn.CrossEntropyLoss()

for epoch in range(8):
    net.train(); s = 0.0
    for xb, yb in loader:
        loss = ce(net(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step()
        s += loss.item()
    net.eval()
    with torch.no_grad():
        o = net(x_va); vl = ce(o, y_va).item(); va = (o.argmax(1) == y_va).float().mean().item()
        pred_hist = torch.bincount(o.argmax(1), minlength=5).tolist()
    print(f"epoch {epoch} train {s/len(loader):.3f} val_loss {vl:.3f} val_acc {va:.3f} predicted-class histogram {pred_hist}")

with torch.no_grad():
    tl = ce(net(x_tr), y_tr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "chance_acc": round(y_va.bincount().max().item() / len(y_va), 3)}))
