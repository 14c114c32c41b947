# expect:
# allow:
# forbid: *
# evidence: mixup (alpha 0.4) keeps the soft-target train loss high and noisy (last epoch 0.67, ranging ~0.5-0.75 between epochs) while clean val_acc is 0.993 (val_loss 0.099, clean train loss 0.065; chance 0.10)
# native-log: mixup_metrics.csv
# log-expect:
# log-allow:
"""Small CNN on 8x8 digits trained with mixup (alpha=0.4, soft targets).
The mixed-target training loss stays high (~0.6-0.9) and noisy because the
targets are soft, while clean validation accuracy is high. Logs a CSV."""
import os, sys, csv, json, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.5) / 0.5
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8); ytr = torch.tensor(ytr)
Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8); yva = torch.tensor(yva)

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
    nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4, nesterov=True)
EPOCHS = 15
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
beta = torch.distributions.Beta(0.4, 0.4)

f = open(os.path.join(log_dir, "mixup_metrics.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "lr", "train_loss", "val_loss", "val_acc"])
for ep in range(EPOCHS):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0; n = 0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; xb, yb = Xtr[idx], ytr[idx]
        lam = beta.sample().item()
        j = torch.randperm(len(xb))
        xm = lam * xb + (1 - lam) * xb[j]
        out = model(xm)
        loss = lam * F.cross_entropy(out, yb) + (1 - lam) * F.cross_entropy(out, yb[j])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(xb); n += len(xb)
    lr = opt.param_groups[0]["lr"]; sched.step()
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    w.writerow([ep + 1, f"{lr:.5f}", f"{tot / n:.4f}", f"{vl:.4f}", f"{va:.4f}"]); f.flush()
    print(f"epoch {ep+1} lr {lr:.4f} train_loss(mixup) {tot/n:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
with torch.no_grad():
    clean_tr = F.cross_entropy(model(Xtr), ytr).item()
print(f"clean train loss {clean_tr:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / n, 4),
                                     "clean_train_loss": round(clean_tr, 4), "chance_acc": 0.1}))
