# expect:
# allow:
# forbid: *
# evidence: GRU(32) + max-pool over time, AdamW 5e-3 with per-batch SGDR restarts at steps 32 and 96 (lr jumps from ~1e-5 back to 5e-3), 7 epochs: Loss/val 1.269 -> 0.863 -> 0.736 -> 0.306 -> 0.193 -> 0.175 -> 0.162, Accuracy/val 0.573 -> 0.925 -> 0.980 final (chance 0.25)
# native-log: runs/gru_motif
# log-expect:
# log-allow:
"""GRU sequence classifier with SGDR warm restarts, logged to TensorBoard via SummaryWriter.

Each sequence (24 steps x 4 channels of noise) hides one of 4 class-specific 3-step motifs at a
random position.  AdamW with CosineAnnealingWarmRestarts(T_0 = 1 epoch, T_mult = 2) stepped per
batch, so the lr jumps back to its peak at the restarts and the train loss briefly bumps -- a
healthy look-alike of an unstable run.  Tags: Loss/train (every step), lr (every step), Loss/val,
Accuracy/val (every epoch).
"""
import json
import os
import random
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.set_num_threads(1)
SEED = 4
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="tb_gru_")
writer = SummaryWriter(os.path.join(LOG_DIR, "runs", "gru_motif"))

T, C, K = 24, 4, 4
rs = np.random.RandomState(0)
MOTIFS = rs.choice([-1.0, 1.0], size=(K, 3, C)) * 1.5


def make(n):
    x = rs.normal(0, 1.0, (n, T, C)).astype(np.float32)
    lab = rs.randint(0, K, n)
    pos = rs.randint(0, T - 3, n)
    for i in range(n):
        x[i, pos[i]:pos[i] + 3] += MOTIFS[lab[i]]
    return torch.tensor(x), torch.tensor(lab)


Xtr, ytr = make(1000)
Xva, yva = make(400)


class GRUClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(C, 32, batch_first=True)
        self.fc = nn.Linear(32, K)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.fc(out.max(1).values)


model = GRUClassifier()
EPOCHS, BS = 7, 32
opt = torch.optim.AdamW(model.parameters(), lr=5e-3, weight_decay=1e-2)
steps = (len(Xtr) + BS - 1) // BS
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=steps, T_mult=2, eta_min=1e-5)
gstep = 0
for epoch in range(EPOCHS):
    model.train()
    p = torch.randperm(len(Xtr))
    for i in range(steps):
        b = p[i * BS:(i + 1) * BS]
        loss = F.cross_entropy(model(Xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        writer.add_scalar("Loss/train", loss.item(), gstep)
        writer.add_scalar("lr", opt.param_groups[0]["lr"], gstep)
        sched.step()
        gstep += 1
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    writer.add_scalar("Loss/val", vl, gstep)
    writer.add_scalar("Accuracy/val", va, gstep)
    print(f"epoch {epoch:2d} step {gstep:4d} lr {opt.param_groups[0]['lr']:.2e} last train loss {loss.item():.4f} "
          f"val loss {vl:.4f} val acc {va:.4f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "chance_acc": 0.25}))
