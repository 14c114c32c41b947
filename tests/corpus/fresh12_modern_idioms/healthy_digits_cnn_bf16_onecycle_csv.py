# expect:
# allow:
# forbid: *
# evidence: small CNN on load_digits under bf16 autocast + channels_last + OneCycleLR (per-batch, total_steps set right) reaches val_acc 0.989 (chance 0.10), val_loss 0.040, train_loss 0.017
# native-log: metrics.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.5) / 0.5
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8)
Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.b1 = nn.BatchNorm2d(16)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.b2 = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32 * 4 * 4, 10)

    def forward(self, x):
        x = F.relu(self.b1(self.c1(x)))
        x = F.max_pool2d(F.relu(self.b2(self.c2(x))), 2)
        return self.fc(x.flatten(1))


model = Net().to(memory_format=torch.channels_last)
epochs, bs = 12, 64
steps_per_epoch = (len(Xtr) + bs - 1) // bs
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2, foreach=True)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, epochs=epochs, steps_per_epoch=steps_per_epoch)

f = open(os.path.join(log_dir, "metrics.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_loss", "val_loss", "val_acc", "lr"])
for ep in range(epochs):
    model.train()
    perm = torch.randperm(len(Xtr))
    tot = 0.0
    for i in range(0, len(Xtr), bs):
        idx = perm[i:i + bs]
        xb = Xtr[idx].contiguous(memory_format=torch.channels_last)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = F.cross_entropy(model(xb), ytr[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step(); sched.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        out = model(Xva.contiguous(memory_format=torch.channels_last)).float()
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    tl = tot / len(Xtr)
    w.writerow([ep, round(tl, 5), round(vl, 5), round(va, 4), opt.param_groups[0]["lr"]]); f.flush()
    print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
