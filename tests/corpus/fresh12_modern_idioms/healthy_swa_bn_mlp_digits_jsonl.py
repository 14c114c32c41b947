# expect:
# allow:
# forbid: *
# evidence: BatchNorm MLP on load_digits, SGD+nesterov with cosine for 8 epochs, then SWA (AveragedModel + SWALR annealing from the cosine end (0) back up to 0.02 over 2 epochs) for 6 epochs with update_bn; the SWA model reaches val_acc 0.982, val_loss 0.072, train_loss 0.017 (chance 0.10)
# native-log: train_log.jsonl
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim.swa_utils import AveragedModel, SWALR, update_bn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = X / 16.0
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-3
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 128), nn.BatchNorm1d(128), nn.ReLU(),
                      nn.Linear(128, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
base_epochs, swa_epochs, bs = 8, 6, 32
cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=base_epochs)
swa_model = AveragedModel(model)
swa_sched = SWALR(opt, swa_lr=0.02, anneal_epochs=2)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=bs, shuffle=True)

log = open(os.path.join(log_dir, "train_log.jsonl"), "w")
for ep in range(base_epochs + swa_epochs):
    model.train(); tot = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward(); opt.step()
        tot += loss.item() * len(xb)
    lr = opt.param_groups[0]["lr"]
    if ep >= base_epochs:
        swa_model.update_parameters(model); swa_sched.step()
        ev = swa_model
        update_bn(loader, swa_model)
    else:
        cos.step(); ev = model
    ev.eval()
    with torch.no_grad():
        out = ev(Xva)
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    tl = tot / len(Xtr)
    log.write(json.dumps({"epoch": ep, "train_loss": tl, "val_loss": vl, "val_acc": va, "lr": lr, "swa": ep >= base_epochs}) + "\n"); log.flush()
    print(f"epoch {ep} lr {lr:.4f} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
