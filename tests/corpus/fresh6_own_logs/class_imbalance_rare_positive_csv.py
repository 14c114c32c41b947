# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (2% positives in train): val_acc 0.979 = majority rate 0.979, recall of the rare class 0.00, balanced acc 0.50; control (balanced training set, same val set): recall 0.84, balanced acc 0.85
# control: --control
# native-log: metrics.csv
# log-expect:
# log-allow: class_imbalance, non_convergence, high_bias
"""Binary 'fault detection' MLP; 2% positives in the training set. Plain BCE, SGD. The model learns to say
'no fault': accuracy ~ the majority rate, recall of the rare class ~0. Control: a class-balanced training set of
the same size from the same generators (validation set and everything else unchanged).
Log: per-epoch CSV epoch,train_loss,train_acc,val_loss,val_acc,val_recall."""
import csv, json, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
POS_RATE_TRAIN = 0.5 if "--control" in sys.argv else 0.02

g = torch.Generator().manual_seed(23)
D = 16
mu_pos = 0.5 * torch.randn(D, generator=g)
def make(n, pos_rate):
    y = (torch.rand(n, generator=g) < pos_rate).float()
    x = torch.randn(n, D, generator=g)
    # positives: shifted mean and one interacting pair of features
    x = x + y[:, None] * mu_pos
    x[:, 0] = x[:, 0] + y * 1.2 * torch.sign(x[:, 1])
    return x, y
xtr, ytr = make(4000, POS_RATE_TRAIN)
xva, yva = make(2000, 0.02)

model = nn.Sequential(nn.Linear(D, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
f = open(os.path.join(LOG_DIR, "metrics.csv"), "w", newline="")
w = csv.writer(f)
w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "val_recall"])
for epoch in range(12):
    model.train()
    perm = torch.randperm(len(xtr))
    tl, tc = 0.0, 0
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        out = model(xtr[idx]).squeeze(1)
        loss = F.binary_cross_entropy_with_logits(out, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx); tc += ((out > 0).float() == ytr[idx]).sum().item()
    model.eval()
    with torch.no_grad():
        out = model(xva).squeeze(1)
        vl = F.binary_cross_entropy_with_logits(out, yva).item()
        pred = (out > 0).float()
        va = (pred == yva).float().mean().item()
        rec = (pred[yva == 1] == 1).float().mean().item()
        spec = (pred[yva == 0] == 0).float().mean().item()
    w.writerow([epoch, round(tl / len(xtr), 5), round(tc / len(xtr), 4), round(vl, 5), round(va, 4), round(rec, 4)])
    f.flush()
    print(f"epoch {epoch} train_loss {tl / len(xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f} val_recall(pos) {rec:.3f} specificity {spec:.3f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "val_recall_pos": round(rec, 4), "val_balanced_acc": round((rec + spec) / 2, 4), "majority_rate": round(1 - yva.mean().item(), 4), "train_pos_rate": POS_RATE_TRAIN}))
