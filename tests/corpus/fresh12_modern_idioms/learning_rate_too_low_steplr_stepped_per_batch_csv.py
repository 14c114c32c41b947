# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: GRU reading load_digits row by row, Adam 3e-3 with StepLR(step_size=1, gamma=0.8) meant per epoch but stepped per batch: lr is 2e-7 after epoch 0 and 1e-36 at the end; planted val_acc 0.098, val_loss 2.294 flat from epoch 1; control (--control, scheduler stepped per epoch) val_acc 0.88, val_loss 0.54 (chance 0.10)
# control: --control
# native-log: metrics.csv
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = X / 16.0
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=3, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 8, 8); Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 8, 8)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)


class RowGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(8, 32, batch_first=True)
        self.head = nn.Linear(32, 10)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


model = RowGRU()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.8)  # meant: decay 20% per epoch
epochs, bs = 8, 32
f = open(os.path.join(log_dir, "metrics.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_loss", "val_loss", "val_acc", "lr"])
for ep in range(epochs):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), bs):
        idx = perm[i:i + bs]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        loss.backward(); opt.step()
        tot += loss.item() * len(idx)
        if not CONTROL:
            sched.step()  # BUG: per batch
    if CONTROL:
        sched.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva)
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item(); tl = tot / len(Xtr)
    lr = opt.param_groups[0]["lr"]
    w.writerow([ep, round(tl, 5), round(vl, 5), round(va, 4), lr]); f.flush()
    print(f"epoch {ep} lr {lr:.2e} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1, "final_lr": lr}))
