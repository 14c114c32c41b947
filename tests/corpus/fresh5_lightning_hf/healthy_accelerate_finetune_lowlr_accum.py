"""Two-stage accelerate script: (1) pre-train a small encoder on a large related task,
(2) fine-tune encoder + a new head on a small downstream task at a low learning rate
(AdamW 5e-4 -> linear decay) with gradient accumulation (accelerator.accumulate, 4 micro-
batches) and accelerator.clip_grad_norm_. Stage-2 metrics go to the TensorBoard tracker in
$CORPUS_LOG_DIR/acc_tb.
"""
# expect:
# allow:
# forbid: *
# evidence: downstream held-out val_acc 0.81 (chance 0.33), val_loss 0.42 from only 400 labelled rows, thanks to the pre-trained encoder
# native-log: acc_tb
# log-expect:
# log-allow:
import json, os, tempfile, warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from accelerate import Accelerator

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
rs = np.random.default_rng(0)
LATENT = rs.normal(size=(6, 32)).astype(np.float32)  # shared latent factors -> 32 observed dims


def observe(z, rng):
    x = np.tanh(z @ LATENT) + 0.1 * rng.normal(size=(len(z), 32))
    return torch.tensor(x, dtype=torch.float32)


def upstream(n, seed):  # regress the latent factors themselves
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, 6)).astype(np.float32)
    return observe(z, rng), torch.tensor(z)


def downstream(n, seed):  # 3 classes from a nonlinear function of the latents
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, 6)).astype(np.float32)
    s = z[:, 0] - 0.6 * z[:, 1] + 0.3 * z[:, 2] * z[:, 3]
    y = np.digitize(s, [-0.6, 0.6])
    return observe(z, rng), torch.tensor(y)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())

    def forward(self, x):
        return self.f(x)


torch.manual_seed(0)
accelerator = Accelerator(cpu=True, gradient_accumulation_steps=4, log_with="tensorboard",
                          project_dir=os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp())

# ---- stage 1: pre-training (not logged)
enc = Encoder()
pre_head = nn.Linear(64, 6)
pre_opt = torch.optim.Adam(list(enc.parameters()) + list(pre_head.parameters()), lr=2e-3)
xu, zu = upstream(6000, 1)
for epoch in range(8):
    for xb, zb in DataLoader(TensorDataset(xu, zu), batch_size=128, shuffle=True):
        pre_opt.zero_grad()
        F.mse_loss(pre_head(enc(xb)), zb).backward()
        pre_opt.step()

# ---- stage 2: fine-tuning
accelerator.init_trackers("acc_tb")
model = nn.Sequential(enc, nn.Dropout(0.1), nn.Linear(64, 3))
xtr, ytr = downstream(400, 2)
xva, yva = downstream(1000, 3)
loader = DataLoader(TensorDataset(xtr, ytr), batch_size=8, shuffle=True)
opt = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.01)
epochs = 30
total = epochs * len(loader) // 4
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, 1 - s / total))
model, opt, loader, sched = accelerator.prepare(model, opt, loader, sched)
step = 0
for epoch in range(epochs):
    model.train()
    for xb, yb in loader:
        with accelerator.accumulate(model):
            loss = F.cross_entropy(model(xb), yb)
            accelerator.backward(loss)
            if accelerator.sync_gradients:
                accelerator.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
        if accelerator.sync_gradients:
            step += 1
            if step % 5 == 0:
                accelerator.log({"train_loss": loss.item(), "lr": opt.param_groups[0]["lr"]}, step=step)
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    accelerator.log({"val_loss": vl, "val_acc": va}, step=step)
accelerator.end_training()
with torch.no_grad():
    tl = F.cross_entropy(model(xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": 0.3333}))
