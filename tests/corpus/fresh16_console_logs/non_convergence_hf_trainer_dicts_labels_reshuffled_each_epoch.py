"""Bag-of-embeddings topic classifier whose Dataset re-shuffles its LABELS every epoch.

The author added `on_epoch_start()` to shuffle the example order, but it permutes only
`self.labels` and not `self.tokens`, so every epoch pairs documents with random labels.
The console prints HF Trainer-style dicts in the transformers 5.x look, values as
4-significant-digit strings (tee'd into trainer_stdout.log): the loss
hovers at ln(4)=1.386 and eval accuracy stays at chance.  --control permutes both together.
"""
# expect: non_convergence
# allow: high_bias, learning_rate_too_low
# forbid: *
# evidence: planted eval_accuracy 0.21, eval_loss 1.396, train loss 1.386 = ln4 over all 6 epochs (chance 0.25); control (tokens and labels permuted together) eval_accuracy 0.9475, eval_loss 0.179
# control: --control
# native-log: trainer_stdout.log
# log-expect: non_convergence
# log-allow: high_bias
import os, sys, json, math, random, tempfile, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hf_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "trainer_stdout.log"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


V, L, C = 300, 32, 4
rng = np.random.default_rng(1)
topic_p = np.full((C, V), 1.0)
for c in range(C):
    topic_p[c, 40 + c * 60: 40 + (c + 1) * 60] += 2.5
topic_p /= topic_p.sum(1, keepdims=True)


def make(n):
    y = rng.integers(0, C, n)
    return np.stack([rng.choice(V, L, p=topic_p[c]) for c in y]), y


class TopicDataset:
    def __init__(self, tokens, labels):
        self.tokens, self.labels = tokens.copy(), labels.copy()

    def on_epoch_start(self):
        order = np.random.permutation(len(self.labels))
        if CONTROL:
            self.tokens, self.labels = self.tokens[order], self.labels[order]
        else:  # BUG: only the labels are permuted
            self.labels = self.labels[order]


tr = TopicDataset(*make(1200))
Xev, yev = make(400)
Xev, yev = torch.tensor(Xev), torch.tensor(yev)


class BagModel(nn.Module):
    def __init__(self, d=48):
        super().__init__()
        self.bag = nn.EmbeddingBag(V, d, mode="mean")
        self.mlp = nn.Sequential(nn.Linear(d, 64), nn.GELU(), nn.Dropout(0.1), nn.Linear(64, C))

    def forward(self, x):
        return self.mlp(self.bag(x))


model = BagModel()
EPOCHS, BS, LR, WARM = 6, 32, 3e-3, 20
spe = math.ceil(len(tr.labels) / BS); total = EPOCHS * spe
opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s / WARM if s < WARM else max(0.0, (total - s) / (total - WARM)))

def fmt(d):
    return str({k: f"{v:.4g}" for k, v in d.items()})


step = 0; rl = 0.0; rn = 0; al = 0.0; t0 = time.time()
for ep in range(EPOCHS):
    tr.on_epoch_start()
    X, Y = torch.tensor(tr.tokens), torch.tensor(tr.labels)
    for i in range(spe):
        xb, yb = X[i * BS:(i + 1) * BS], Y[i * BS:(i + 1) * BS]
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad(); loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0).item()
        opt.step(); sched.step(); step += 1
        rl += loss.item(); rn += 1; al += loss.item()
        if step % 15 == 0:
            echo(fmt({'loss': rl / rn, 'grad_norm': gn, 'learning_rate': sched.get_last_lr()[0], 'epoch': step / spe}))
            rl = 0.0; rn = 0
    model.eval(); te = time.time()
    with torch.no_grad():
        o = model(Xev); el = F.cross_entropy(o, yev).item(); ea = (o.argmax(1) == yev).float().mean().item()
    model.train(); dt = time.time() - te
    echo(fmt({'eval_loss': el, 'eval_accuracy': ea, 'eval_runtime': dt, 'eval_samples_per_second': len(Xev) / max(dt, 1e-6),
              'eval_steps_per_second': len(Xev) / 32 / max(dt, 1e-6), 'epoch': ep + 1}))
rt = time.time() - t0
echo(fmt({'train_runtime': rt, 'train_samples_per_second': EPOCHS * len(tr.labels) / rt,
          'train_steps_per_second': total / rt, 'train_loss': al / total, 'epoch': EPOCHS}))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(el, 4), "val_acc": round(ea, 4), "train_loss": round(al / total, 4), "chance_acc": 0.25}))
