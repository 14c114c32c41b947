# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: planted: first non-finite loss at step 60 (the 1-row last batch of epoch 0), every later loss and val_loss NaN, val_acc 0.16 (chance 0.17); control (drop_last): val_acc 0.87, val_loss 0.32, no NaN
# control: --control
# native-log: tb
# log-expect: non_finite
# log-allow: non_convergence
"""Model standardises its inputs per batch by hand, x.std(0) (unbiased). The data set has 3001 rows and the
batch size is 50, so the last batch of every epoch has ONE row: std of one value is NaN, the loss is NaN and
Adam writes NaN into every weight. Control: drop the incomplete last batch (drop_last).
Log: SummaryWriter tags train/loss, val/loss, val/accuracy."""
import json, math, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
DROP_LAST = "--control" in sys.argv

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 6))
    def forward(self, x):
        x = (x - x.mean(0)) / (x.std(0) + 1e-5)     # per-batch standardisation
        return self.mlp(x)

g = torch.Generator().manual_seed(17)
centers = 1.2 * torch.randn(6, 12, generator=g)
def make(n):
    y = torch.randint(0, 6, (n,), generator=g)
    return 5.0 + 3.0 * (centers[y] + torch.randn(n, 12, generator=g)), y
xtr, ytr = make(3001)
xva, yva = make(600)

model = Net()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
writer = SummaryWriter(os.path.join(LOG_DIR, "tb"))
step, first_nan = 0, None
for epoch in range(8):
    model.train()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 50):
        idx = perm[i:i + 50]
        if DROP_LAST and len(idx) < 50:
            continue
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        if first_nan is None and not math.isfinite(loss.item()):
            first_nan = step
            print(f"probe: first non-finite loss at step {step} (batch size {len(idx)})")
        writer.add_scalar("train/loss", loss.item(), step)
        step += 1
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    writer.add_scalar("val/loss", vl, step)
    writer.add_scalar("val/accuracy", va, step)
    print(f"epoch {epoch} last train loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f}")
writer.close()
fin = lambda v: round(v, 4) if math.isfinite(v) else str(v)
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_acc": round(va, 4), "train_loss": fin(loss.item()), "first_nonfinite_step": first_nan, "chance_acc": 0.1667}))
