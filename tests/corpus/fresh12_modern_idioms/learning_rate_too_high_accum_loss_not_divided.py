# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, high_bias, dead_units
# forbid: *
# evidence: MLP on load_digits, SGD(lr=0.15, momentum 0.9) tuned for the averaged gradient of 8 micro-batches of 8; planted loop sums 8 undivided micro-batch losses (8x effective lr): epoch-0 train_loss 4.5e8, ends at val_acc 0.10, val_loss 2.33; control (--control, loss / accum_steps): val_acc 0.98, val_loss 0.071 (chance 0.10)
# control: --control
# native-log: steps.csv
# log-expect: learning_rate_too_high
# log-allow: exploding_gradients, non_finite, non_convergence, high_bias
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
f = open(os.path.join(log_dir, "steps.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["step", "epoch", "train_loss", "val_loss", "val_acc", "lr"])
step = 0
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=4, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1.0
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.15, momentum=0.9)
accum, mb = 8, 8
for ep in range(8):
    model.train(); perm = torch.randperm(len(Xtr)); tot, n, k = 0.0, 0, 0
    opt.zero_grad(set_to_none=True)
    for i in range(0, len(Xtr), mb):
        idx = perm[i:i + mb]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        (loss / accum if CONTROL else loss).backward()
        tot += loss.item() * len(idx); n += len(idx); k += 1
        if k % accum == 0:
            opt.step(); opt.zero_grad(set_to_none=True); step += 1
            w.writerow([step, ep, loss.item(), "", "", opt.param_groups[0]["lr"]])
    model.eval()
    with torch.no_grad():
        out = model(Xva)
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item(); tl = tot / n
    w.writerow([step, ep, tl, vl, va, opt.param_groups[0]["lr"]]); f.flush()
    print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl if np.isfinite(vl) else str(vl), "val_acc": round(va, 4), "train_loss": tl if np.isfinite(tl) else str(tl), "chance_acc": 0.1}))
