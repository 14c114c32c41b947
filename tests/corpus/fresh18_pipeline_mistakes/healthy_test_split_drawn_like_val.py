"""Digits split three ways with random_split (train/val/test all drawn the same way, same
preprocessing). Logs to a TensorBoard event dir $CORPUS_LOG_DIR/tb via SummaryWriter
(train/loss, val/loss, val/acc, test/acc, lr)."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.970 and test_acc 0.967 (chance 0.10), val_loss 0.22 / test_loss 0.17 -- test drawn like val, no gap; train_loss -> 0.003 while val_loss stays flat near its best (0.22) after epoch 3
# native-log: tb
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader, random_split
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_digits

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
writer = SummaryWriter(os.path.join(log_dir, "tb"))

d = load_digits()
X = torch.tensor(d.data / 16.0, dtype=torch.float32); y = torch.tensor(d.target)
full = TensorDataset(X, y)
tr, va, te = random_split(full, [1197, 300, 300], generator=torch.Generator().manual_seed(0))
mean = X[tr.indices].mean(0); std = X[tr.indices].std(0) + 1e-3   # train statistics only

def loader(ds, bs, shuffle):
    return DataLoader(ds, batch_size=bs, shuffle=shuffle, collate_fn=lambda b: ((torch.stack([x for x, _ in b]) - mean) / std, torch.stack([t for _, t in b])))

dl_tr, dl_va, dl_te = loader(tr, 32, True), loader(va, 300, False), loader(te, 300, False)
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.3)

def evaluate(dl):
    model.eval(); l = c = n = 0
    with torch.no_grad():
        for xb, yb in dl:
            out = model(xb); l += F.cross_entropy(out, yb, reduction="sum").item(); c += (out.argmax(1) == yb).sum().item(); n += len(yb)
    return l / n, c / n

step = 0
for ep in range(20):
    model.train(); tot = n = 0
    for xb, yb in dl_tr:
        opt.zero_grad(); loss = F.cross_entropy(model(xb), yb); loss.backward(); opt.step()
        tot += loss.item() * len(yb); n += len(yb); step += 1
        writer.add_scalar("train/loss", loss.item(), step)
    writer.add_scalar("lr", opt.param_groups[0]["lr"], ep)
    sched.step()
    vl, vacc = evaluate(dl_va); tl, tacc = evaluate(dl_te)
    writer.add_scalar("train/epoch_loss", tot / n, ep)
    writer.add_scalar("val/loss", vl, ep); writer.add_scalar("val/acc", vacc, ep)
    writer.add_scalar("test/loss", tl, ep); writer.add_scalar("test/acc", tacc, ep)
    print(f"epoch {ep} train_loss {tot/n:.4f} val_loss {vl:.4f} val_acc {vacc:.4f} test_acc {tacc:.4f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "test_loss": round(tl, 4), "test_acc": round(tacc, 4),
      "train_loss": round(tot / n, 4), "chance_acc": 0.1}))
