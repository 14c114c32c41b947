"""Batch norm written by hand (batch statistics in training, exponential running mean/var for eval,
learnable gamma/beta as plain tensors) in a 3-hidden-layer ReLU MLP on digits; hand-written
softmax-CE and SGD with momentum written by hand. Logs to TensorBoard."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.982, val_loss 0.069 (chance 0.10); train loss (eval mode) 0.0006 while val loss stays flat at 0.069-0.075 from epoch 8 on (look-alike of overfitting, val never degrades)
# native-log: tb
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np, torch
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X / 16.0, y, test_size=0.25, random_state=3, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32); Xva = torch.tensor(Xva, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

sizes = [64, 128, 128, 64, 10]
Ws, gammas, betas, run_m, run_v = [], [], [], [], []
for i, (fi, fo) in enumerate(zip(sizes[:-1], sizes[1:])):
    Ws.append((torch.randn(fi, fo) * (2 / fi) ** 0.5).requires_grad_())
    if i < len(sizes) - 2:
        gammas.append(torch.ones(fo, requires_grad=True)); betas.append(torch.zeros(fo, requires_grad=True))
        run_m.append(torch.zeros(fo)); run_v.append(torch.ones(fo))
b_out = torch.zeros(10, requires_grad=True)
params = Ws + gammas + betas + [b_out]
vel = [torch.zeros_like(p) for p in params]

def forward(x, train):
    for i in range(len(Ws) - 1):
        h = x @ Ws[i]  # no bias: BN's beta plays that role
        if train:
            m = h.mean(0); v = h.var(0, unbiased=False)
            with torch.no_grad():
                run_m[i].mul_(0.9).add_(0.1 * m); run_v[i].mul_(0.9).add_(0.1 * v)
        else:
            m, v = run_m[i], run_v[i]
        h = gammas[i] * (h - m) / torch.sqrt(v + 1e-5) + betas[i]
        x = torch.relu(h)
    return x @ Ws[-1] + b_out

writer = SummaryWriter(os.path.join(LOG_DIR, "tb"))
lr, mom, bs, step = 0.05, 0.9, 64, 0
for epoch in range(20):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr) - bs + 1, bs):  # drop the ragged last batch (BN on 3 samples is noise)
        idx = perm[i:i + bs]
        z = forward(Xtr[idx], True)
        loss = -(torch.log_softmax(z, 1)[torch.arange(len(idx)), ytr[idx]]).mean()
        loss.backward()
        with torch.no_grad():
            for p, v in zip(params, vel):
                v.mul_(mom).add_(p.grad); p -= lr * v; p.grad = None
        step += 1
        writer.add_scalar("loss/train", loss.item(), step)
    with torch.no_grad():
        zv = forward(Xva, False); vl = torch.nn.functional.cross_entropy(zv, yva).item(); va = (zv.argmax(1) == yva).float().mean().item()
    writer.add_scalar("loss/val", vl, step); writer.add_scalar("acc/val", va, step); writer.add_scalar("lr", lr, step)
    if epoch % 4 == 0 or epoch == 19:
        print(f"epoch {epoch} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f}")
writer.close()
with torch.no_grad():
    tl = torch.nn.functional.cross_entropy(forward(Xtr, False), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": 0.1}))
