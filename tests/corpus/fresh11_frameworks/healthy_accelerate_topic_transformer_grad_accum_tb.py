"""Healthy: Hugging Face Accelerate, a small nn.TransformerEncoder topic classifier with gradient accumulation.

Integer-token "documents" (vocab 200, length 24) from three topics: each topic has its own
preferred words, mixed with shared filler; about 1 in 12 documents is labelled with a random
topic (annotation noise). Embedding + 2-layer TransformerEncoder + mean pooling.
Accelerator(gradient_accumulation_steps=2, log_with="tensorboard"), accelerator.accumulate,
clip_grad_norm_, warm-up + linear decay; accelerator.log writes TensorBoard event files.
"""
# expect:
# allow: high_variance
# forbid: *
# evidence: val_acc 0.91 (chance 0.33), train_acc 0.94 = label-noise ceiling 0.944; val_loss 0.34 vs train 0.25, val loss flat at 0.34-0.36 over the last 3 epochs. high_variance allowed as borderline: train is at the ceiling, so the 0.03 val-train gap exceeds the ~0 avoidable bias
# native-log: topics
# log-expect:
# log-allow: high_variance
import os, sys, json, math, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
random.seed(18); np.random.seed(18); torch.manual_seed(18)
from accelerate import Accelerator
from accelerate.utils import set_seed
set_seed(18)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_topic_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(18)
V, L, C = 200, 24, 3
topic_words = [np.arange(10 + 30 * c, 10 + 30 * (c + 1)) for c in range(C)]
filler = np.arange(100, V)


def make(n):
    y = rng.integers(0, C, n)
    ids = rng.choice(filler, size=(n, L))
    for i in range(n):
        k = rng.integers(2, 6)
        pos = rng.choice(L, k, replace=False)
        ids[i, pos] = rng.choice(topic_words[y[i]], k)
        if rng.random() < 0.3:  # some documents also mention another topic's word
            ids[i, rng.integers(L)] = rng.choice(topic_words[(y[i] + rng.integers(1, C)) % C])
    noisy = rng.random(n) < 1 / 12
    y[noisy] = rng.integers(0, C, noisy.sum())
    return torch.tensor(ids), torch.tensor(y)


Xtr, ytr = make(2000)
Xva, yva = make(600)


class TopicNet(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.pos = nn.Parameter(torch.zeros(1, L, d))
        layer = nn.TransformerEncoderLayer(d, 4, 64, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2)
        self.head = nn.Linear(d, C)

    def forward(self, x):
        return self.head(self.enc(self.emb(x) + self.pos).mean(1))


accelerator = Accelerator(cpu=True, gradient_accumulation_steps=2, log_with="tensorboard", project_dir=LOG_DIR)
accelerator.init_trackers("topics")
model = TopicNet()
opt = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=0.01)
EPOCHS, BS = 6, 32
train_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=BS, shuffle=True)
updates = EPOCHS * len(train_dl) // 2
warm = 10
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (updates - s) / (updates - warm))))
model, opt, train_dl, sched = accelerator.prepare(model, opt, train_dl, sched)

step = 0
for epoch in range(EPOCHS):
    model.train(); tot = n = 0
    for xb, yb in train_dl:
        with accelerator.accumulate(model):
            loss = F.cross_entropy(model(xb), yb)
            accelerator.backward(loss)
            if accelerator.sync_gradients:
                accelerator.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step(); opt.zero_grad()
        tot += loss.item() * len(yb); n += len(yb); step += 1
        if accelerator.sync_gradients and step % 10 == 0:
            accelerator.log({"train/loss": loss.item(), "lr": sched.get_last_lr()[0]}, step=step)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    accelerator.log({"train/epoch_loss": tot / n, "val/loss": vl, "val/acc": va, "epoch": epoch}, step=step)
    print(f"epoch {epoch} train {tot/n:.4f} val {vl:.4f} acc {va:.3f}")
accelerator.end_training()
with torch.no_grad():
    otr = model(Xtr); tl = F.cross_entropy(otr, ytr).item(); ta = (otr.argmax(1) == ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4),
                                     "label_noise_ceiling_acc": round(1 - (1 / 12) * (2 / 3), 4), "chance_acc": 0.3333}))
