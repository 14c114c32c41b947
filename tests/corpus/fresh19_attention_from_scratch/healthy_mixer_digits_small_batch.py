"""MLP-Mixer (Tolstikhin et al. 2021) shrunk for 8x8 digits.

Batch size 8 on purpose (replicating a "small-batch generalises better" claim), so the
per-step loss logged to train_steps.jsonl is very noisy -- the epoch-level validation
numbers are what matter.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy; val acc 0.956 (chance 0.10), val loss 0.127, train acc 1.00 / train loss 0.022; per-step batch-8 losses are noisy (0.007-0.8 within an epoch) while val improves every epoch
# native-log: train_steps.jsonl
# log-expect:
# log-allow:
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(2)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="mixer_")
os.makedirs(LOG_DIR, exist_ok=True)

data = load_digits()
imgs = (data.images / 16.0).astype(np.float32)
a, b, ya, yb = train_test_split(imgs, data.target, test_size=0.3, random_state=2, stratify=data.target)
mean, std = a.mean(), a.std()
Xtr = torch.from_numpy((a - mean) / std)
Xva = torch.from_numpy((b - mean) / std)
Ytr, Yva = torch.from_numpy(ya), torch.from_numpy(yb)


class MlpBlock(nn.Sequential):
    def __init__(self, dim, hidden):
        super().__init__(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))


class MixerLayer(nn.Module):
    def __init__(self, tokens, channels, tok_hidden, ch_hidden):
        super().__init__()
        self.norm1 = nn.LayerNorm(channels)
        self.token_mix = MlpBlock(tokens, tok_hidden)
        self.norm2 = nn.LayerNorm(channels)
        self.channel_mix = MlpBlock(channels, ch_hidden)

    def forward(self, x):  # x: (B, tokens, channels)
        y = self.norm1(x).transpose(1, 2)
        x = x + self.token_mix(y).transpose(1, 2)
        return x + self.channel_mix(self.norm2(x))


class Mixer(nn.Module):
    def __init__(self, patch=2, channels=48, depth=3, n_classes=10):
        super().__init__()
        self.patch = patch
        tokens = (8 // patch) ** 2
        self.stem = nn.Linear(patch * patch, channels)
        self.layers = nn.Sequential(*[MixerLayer(tokens, channels, 32, 96) for _ in range(depth)])
        self.norm = nn.LayerNorm(channels)
        self.head = nn.Linear(channels, n_classes)

    def forward(self, img):
        p = self.patch
        B = img.shape[0]
        x = img.reshape(B, 8 // p, p, 8 // p, p).permute(0, 1, 3, 2, 4).reshape(B, -1, p * p)
        x = self.layers(self.stem(x))
        return self.head(self.norm(x).mean(1))


model = Mixer()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
loss_fn = nn.CrossEntropyLoss()
EPOCHS, BS = 6, 8
sched = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-3, total_steps=EPOCHS * ((len(Xtr) + BS - 1) // BS))

log = open(os.path.join(LOG_DIR, "train_steps.jsonl"), "w")
gstep = 0
for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        out = model(Xtr[idx])
        loss = loss_fn(out, Ytr[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        sched.step()
        gstep += 1
        if gstep % 5 == 0:
            log.write(json.dumps({"step": gstep, "epoch": epoch, "loss": round(loss.item(), 5),
                                  "lr": sched.get_last_lr()[0]}) + "\n")
    model.eval()
    with torch.no_grad():
        vo = model(Xva)
        vloss = loss_fn(vo, Yva).item()
        vacc = (vo.argmax(1) == Yva).float().mean().item()
    log.write(json.dumps({"step": gstep, "epoch": epoch, "val_loss": round(vloss, 5), "val_acc": round(vacc, 5)}) + "\n")
    print(f"epoch {epoch}: last batch loss {loss.item():.3f} | val_loss {vloss:.4f} val_acc {vacc:.4f}")
log.close()

with torch.no_grad():
    to = model(Xtr)
    tloss = loss_fn(to, Ytr).item()
    tacc = (to.argmax(1) == Ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(tloss, 4), "train_acc": round(tacc, 4), "chance_acc": 0.1}))
