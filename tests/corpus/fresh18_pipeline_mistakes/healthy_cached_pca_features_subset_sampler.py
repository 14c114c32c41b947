"""Digits: PCA(24) features computed once with the PCA fitted on the training indices only,
cached to a .pt file in a temp dir and reloaded (the 'feature cache' pattern). One Dataset
over all rows; train/val chosen with SubsetRandomSampler index lists. Logistic-regression-like
head + one hidden layer, SGD with cosine warm restarts (the loss bumps up at each restart).
Logs to a TensorBoard dir $CORPUS_LOG_DIR/runs."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.985, val_loss 0.047 (chance 0.10), train_loss 0.024; PCA + scaling fitted on train indices only; warm restarts every 6 epochs make planned small bumps in the loss (epochs 6, 12)
# native-log: runs
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader, SubsetRandomSampler
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
writer = SummaryWriter(os.path.join(log_dir, "runs"))
cache = os.path.join(tempfile.mkdtemp(), "pca_feats.pt")

X, y = load_digits(return_X_y=True)
idx = np.random.RandomState(0).permutation(len(y)); tr_idx, va_idx = idx[:1400], idx[1400:]
if not os.path.exists(cache):
    pca = PCA(24, random_state=0).fit(X[tr_idx])
    Z = pca.transform(X); Z = (Z - Z[tr_idx].mean(0)) / Z[tr_idx].std(0)
    torch.save({"Z": torch.tensor(Z, dtype=torch.float32), "y": torch.tensor(y)}, cache)
blob = torch.load(cache)
ds = TensorDataset(blob["Z"], blob["y"])
dl_tr = DataLoader(ds, batch_size=32, sampler=SubsetRandomSampler(tr_idx.tolist()))
dl_va = DataLoader(ds, batch_size=400, sampler=SubsetRandomSampler(va_idx.tolist()))
model = nn.Sequential(nn.Linear(24, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=6 * len(dl_tr))
step = 0
for ep in range(18):
    model.train(); tot = n = 0
    for xb, yb in dl_tr:
        opt.zero_grad(); loss = F.cross_entropy(model(xb), yb); loss.backward(); opt.step(); sched.step()
        writer.add_scalar("lr", opt.param_groups[0]["lr"], step); step += 1
        tot += loss.item() * len(yb); n += len(yb)
    model.eval(); vl = vc = vn = 0
    with torch.no_grad():
        for xb, yb in dl_va:
            o = model(xb); vl += F.cross_entropy(o, yb, reduction="sum").item(); vc += (o.argmax(1) == yb).sum().item(); vn += len(yb)
    writer.add_scalar("loss/train", tot / n, ep); writer.add_scalar("loss/val", vl / vn, ep); writer.add_scalar("accuracy/val", vc / vn, ep)
    print(f"epoch {ep} train_loss {tot/n:.4f} val_loss {vl/vn:.4f} val_acc {vc/vn:.4f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl / vn, 4), "val_acc": round(vc / vn, 4), "train_loss": round(tot / n, 4), "chance_acc": 0.1}))
