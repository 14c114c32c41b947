# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (2% positives): val_acc 0.977 (= majority rate) for 18 of 25 epochs, ends 0.981 vs chance 0.977, positive recall 0.20, balanced acc 0.60 (balanced probe set 0.605); control (50/50 sample): balanced acc 0.851, recall 0.853, probe 0.853
# control: --control
# native-log: epochs.tsv
# log-expect:
# log-allow: class_imbalance, non_convergence, high_bias
# "Fraud" detector: 2% positives, plain unweighted BCE, threshold 0.5. The net learns to say
# "legit" for everything; accuracy looks great (~0.98) but minority recall is ~0.
# Control: same pipeline on a balanced sample (50/50) of the same generator.
import json, os, sys, tempfile
import torch
from torch import nn

torch.manual_seed(17)
torch.set_num_threads(1)
POS_RATE = 0.5 if "--control" in sys.argv else 0.02

shift = torch.zeros(20); shift[:6] = 0.9
def sample(n, pos_rate):
    y = (torch.rand(n) < pos_rate).float()
    x = torch.randn(n, 20) + y[:, None] * shift
    return x, y

X, y = sample(4000, POS_RATE)
Xv, yv = sample(2000, POS_RATE)
Xbal, ybal = sample(2000, 0.5)   # extra balanced probe set

model = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
bce = nn.BCEWithLogitsLoss()

def scores(xx, yy):
    with torch.no_grad():
        lo = model(xx).squeeze(1)
        pred = (lo > 0).float()
        acc = (pred == yy).float().mean().item()
        rec1 = pred[yy == 1].mean().item()
        rec0 = 1 - pred[yy == 0].mean().item()
        return bce(lo, yy).item(), acc, rec1, 0.5 * (rec0 + rec1)

tsv = open(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "epochs.tsv"), "w")
tsv.write("epoch\ttrain_loss\tval_loss\tval_acc\tval_recall_pos\tval_balanced_acc\n")
for ep in range(25):
    model.train()
    for b in torch.randperm(len(X)).split(128):
        l = bce(model(X[b]).squeeze(1), y[b])
        opt.zero_grad(); l.backward(); opt.step()
    model.eval()
    trl = scores(X, y)[0]
    vl, va, vr, vb = scores(Xv, yv)
    tsv.write(f"{ep}\t{trl:.5f}\t{vl:.5f}\t{va:.4f}\t{vr:.4f}\t{vb:.4f}\n")
    print(f"{ep}\t{trl:.5f}\t{vl:.5f}\t{va:.4f}\t{vr:.4f}\t{vb:.4f}")
tsv.close()
_, _, bal_rec, bal_bacc = scores(Xbal, ybal)
print(f"balanced probe set: recall_pos {bal_rec:.3f} balanced_acc {bal_bacc:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": trl, "chance_acc": max(yv.mean().item(), 1 - yv.mean().item()),
                                     "val_balanced_acc": vb, "val_recall_pos": vr, "balanced_probe_acc": bal_bacc}))
