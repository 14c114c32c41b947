# expect:
# allow:
# forbid: *
# evidence: val_acc 0.97 (chance 0.2), val_loss 0.11, train_loss 0.03 after 6 epochs of accumulated small batches with OneCycle
# native-log: accel_tb
# log-expect:
# log-allow:
"""Healthy: Hugging Face accelerate training loop with gradient accumulation (4 micro-batches
of 16), gradient clipping and the built-in TensorBoard tracker (Accelerator(log_with=
"tensorboard"), init_trackers, accelerator.log of train_loss / lr every optimizer step and
val_loss / val_acc every epoch). Model: small residual MLP with LayerNorm on a synthetic 5-class
"sensor fault" problem. AdamW lr 2e-3, OneCycle schedule. Nothing planted."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
from accelerate import Accelerator
from accelerate.utils import set_seed
set_seed(9)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(9)
C, D = 5, 30
A = rng.normal(0, 1, (D, D)) / np.sqrt(D)
means = rng.normal(0, 1.0, (C, 8))
def make(n):
    y = rng.integers(0, C, n)
    z = np.concatenate([means[y] + rng.normal(0, 0.6, (n, 8)), rng.normal(0, 1, (n, D - 8))], 1)
    x = np.tanh(z @ A.T) * 2 + rng.normal(0, 0.1, (n, D))
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)
Xtr, ytr = make(4000); Xva, yva = make(800)
mu, sd = Xtr.mean(0), Xtr.std(0); Xtr = (Xtr - mu) / sd; Xva = (Xva - mu) / sd
tr = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=16, shuffle=True)
va = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, yva), batch_size=400)

class Block(nn.Module):
    def __init__(self, d):
        super().__init__(); self.n = nn.LayerNorm(d); self.f = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
    def forward(self, x): return x + self.f(self.n(x))
model = nn.Sequential(nn.Linear(D, 64), Block(64), Block(64), nn.LayerNorm(64), nn.Linear(64, C))
EPOCHS, ACC = 6, 4
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=EPOCHS * len(tr) // ACC + 1)
acc = Accelerator(gradient_accumulation_steps=ACC, log_with="tensorboard", project_dir=LOGDIR, cpu=True)
acc.init_trackers("accel_tb", config={"lr": 2e-3, "epochs": EPOCHS, "grad_accum": ACC})
model, opt, tr, va, sched = acc.prepare(model, opt, tr, va, sched)
step = 0
for ep in range(EPOCHS):
    model.train(); run = []
    for x, y in tr:
        with acc.accumulate(model):
            loss = F.cross_entropy(model(x), y); acc.backward(loss); run.append(loss.item())
            if acc.sync_gradients:
                acc.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step(); opt.zero_grad()
        if acc.sync_gradients:
            step += 1
            if step % 5 == 0:
                acc.log({"train_loss": float(np.mean(run[-4 * 5:])), "lr": sched.get_last_lr()[0]}, step=step)
    model.eval()
    with torch.no_grad():
        o = torch.cat([model(x) for x, _ in va]); yy = torch.cat([y for _, y in va])
    vl = F.cross_entropy(o, yy).item(); vacc = (o.argmax(1) == yy).float().mean().item()
    acc.log({"val_loss": vl, "val_acc": vacc, "epoch": ep}, step=step)
acc.end_training()
with torch.no_grad():
    tl = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "chance_acc": 0.2}))
