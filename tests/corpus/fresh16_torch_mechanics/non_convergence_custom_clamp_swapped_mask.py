# expect: non_convergence
# allow: vanishing_gradients, high_bias
# forbid: *
# evidence: control (correct clamp backward) val_acc 0.971, val_loss 0.142; planted (lo/hi swapped in backward mask) val_acc 0.113, val_loss 2.322 = ln(10) flat from epoch 0, body grad norm exactly 0.0 every epoch (chance 0.10)
# control: --control
# native-log: clamp_log.csv
# log-expect: non_convergence
# log-allow: high_bias
"""A hand-written clamp with its own backward, applied to the logits for numerical safety. The
backward's pass-through mask has lo/hi swapped ((x < lo) & (x > hi) is never true), so it returns an
all-zero gradient and nothing upstream learns. --control uses the correct mask."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

class SafeClamp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x); ctx.lo, ctx.hi = lo, hi
        return x.clamp(lo, hi)
    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        if CONTROL:
            mask = (x > ctx.lo) & (x < ctx.hi)
        else:
            mask = (x < ctx.lo) & (x > ctx.hi)     # BUG: bounds swapped -> always False
        return g * mask.to(g.dtype), None, None

X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
body = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
def model(x): return SafeClamp.apply(body(x), -30.0, 30.0)
opt = torch.optim.Adam(body.parameters(), lr=1e-3)
f = open(os.path.join(LOG_DIR, "clamp_log.csv"), "w", newline=""); wr = csv.writer(f)
wr.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
for ep in range(8):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    gn = sum(p.grad.norm() ** 2 for p in body.parameters()).sqrt().item()
    wr.writerow([ep, round(tot / len(Xtr), 5), round(vl, 5), round(va, 4)])
    print(f"epoch {ep} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f} grad_norm {gn:.3e}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4), "chance_acc": 0.1, "grad_norm": gn}))
