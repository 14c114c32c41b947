"""GRU sequence classifier on synthetic sequences (which of 3 channels carries a burst).
TensorBoard log dir holds TWO run subdirectories: attempt_1 died after 12 steps (simulated
out-of-memory with a too-large batch) and attempt_2 is the full run. The second run uses
CosineAnnealingWarmRestarts (T_0=5 epochs), so the train loss bumps up at each restart."""
# expect:
# allow:
# forbid: *
# evidence: healthy: attempt_2 reaches val_acc 0.983 (chance 0.33), val_loss 0.128 = train_loss 0.129; the loss bumps at the warm restart (epoch 5) are by design
# native-log: tb
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
tb = os.path.join(logdir, "tb")
def data(n, T=20):
    x = torch.randn(n, T, 3) * 0.7
    y = torch.randint(0, 3, (n,))
    t0 = torch.randint(0, T - 6, (n,))
    for i in range(n):
        x[i, t0[i]:t0[i] + 5, y[i]] += 1.5
    return x, y
Xtr, ytr = data(640); Xva, yva = data(300)
class Net(nn.Module):
    def __init__(s):
        super().__init__(); s.gru = nn.GRU(3, 32, batch_first=True); s.head = nn.Linear(32, 3)
    def forward(s, x):
        h, _ = s.gru(x); return s.head(h.max(1).values)

# attempt 1: crashes early
w = SummaryWriter(os.path.join(tb, "attempt_1"))
model = Net(); opt = torch.optim.Adam(model.parameters(), lr=3e-3)
try:
    for step in range(40):
        idx = torch.randint(0, len(Xtr), (256,))
        loss = nn.functional.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        w.add_scalar("Loss/train", loss.item(), step)
        if step == 11:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
except RuntimeError as e:
    print("attempt_1 crashed:", e)
w.close()

# attempt 2: the real run
torch.manual_seed(1)
w = SummaryWriter(os.path.join(tb, "attempt_2"))
model = Net(); opt = torch.optim.Adam(model.parameters(), lr=3e-3)
nb = len(Xtr) // 64
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=5 * nb)
step = 0
for ep in range(15):
    model.train(); perm = torch.randperm(len(Xtr)); tot = n = 0
    for i in range(nb):
        idx = perm[i * 64:(i + 1) * 64]
        loss = nn.functional.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        w.add_scalar("Loss/train", loss.item(), step); w.add_scalar("lr", opt.param_groups[0]["lr"], step)
        tot += loss.item() * len(idx); n += len(idx); step += 1
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = nn.functional.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    w.add_scalar("Loss/val", vl, step); w.add_scalar("Accuracy/val", va, step)
    print(f"epoch {ep} train {tot/n:.4f} val {vl:.4f} acc {va:.4f}")
w.close(); tl = tot / n
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.333}))
