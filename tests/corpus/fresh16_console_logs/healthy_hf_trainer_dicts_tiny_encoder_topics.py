"""Tiny transformer encoder on synthetic topic 'documents'; console shows HF Trainer-style dicts.

A hand-rolled loop that imitates what `transformers.Trainer` prints (logging_steps=10,
eval each epoch, linear warmup then linear decay, AdamW, grad_norm before clipping at 1.0).
The stdout is tee'd to trainer_stdout.log.  Healthy: eval accuracy well above chance.
"""
# expect:
# allow:
# forbid: *
# evidence: eval_accuracy 0.937 after 6 epochs (chance 0.25; Bayes-optimal accuracy computed from the known generator 0.987), eval_loss 0.46 -> 0.187; warmup 25 steps then linear decay to 0
# native-log: trainer_stdout.log
# log-expect:
# log-allow:
import os, json, math, random, tempfile, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hf_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "trainer_stdout.log"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


V, L, C = 200, 24, 4
rng = np.random.default_rng(0)
# every topic prefers its own slice of the vocabulary; documents mix topic words with common words
topic_p = np.full((C, V), 1.0)
for c in range(C):
    topic_p[c, 20 + c * 45: 20 + (c + 1) * 45] += 3.0
topic_p /= topic_p.sum(1, keepdims=True)


def make(n):
    y = rng.integers(0, C, n)
    x = np.stack([rng.choice(V, L, p=topic_p[c]) for c in y])
    return torch.tensor(x), torch.tensor(y)


Xtr, ytr = make(1600)
Xev, yev = make(300)


class TinyEncoder(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.emb = nn.Embedding(V, d); self.pos = nn.Parameter(torch.zeros(1, L, d))
        layer = nn.TransformerEncoderLayer(d, 2, 64, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)
        self.head = nn.Linear(d, C)

    def forward(self, x):
        h = self.enc(self.emb(x) + self.pos)
        return self.head(h.mean(1))


model = TinyEncoder()
EPOCHS, BS, LR, WARM = 6, 32, 5e-3, 25
steps_per_epoch = math.ceil(len(Xtr) / BS); total = EPOCHS * steps_per_epoch
opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s / WARM if s < WARM else max(0.0, (total - s) / (total - WARM)))


def evaluate():
    model.eval(); t = time.time()
    with torch.no_grad():
        o = model(Xev); l = F.cross_entropy(o, yev).item(); a = (o.argmax(1) == yev).float().mean().item()
    model.train(); dt = time.time() - t
    return l, a, dt


step = 0; run_loss = 0.0; run_n = 0; all_loss = 0.0; t_start = time.time()
for ep in range(EPOCHS):
    perm = torch.randperm(len(Xtr))
    for i in range(steps_per_epoch):
        idx = perm[i * BS:(i + 1) * BS]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0).item()
        opt.step(); sched.step(); step += 1
        run_loss += loss.item(); run_n += 1; all_loss += loss.item()
        if step % 10 == 0:
            echo(str({'loss': round(run_loss / run_n, 4), 'grad_norm': round(gn, 4),
                      'learning_rate': float(f"{sched.get_last_lr()[0]:.4e}"), 'epoch': round(step / steps_per_epoch, 4)}))
            run_loss = 0.0; run_n = 0
    el, ea, dt = evaluate()
    echo(str({'eval_loss': round(el, 4), 'eval_accuracy': round(ea, 4), 'eval_runtime': round(dt, 4),
              'eval_samples_per_second': round(len(Xev) / max(dt, 1e-6), 3), 'eval_steps_per_second': round(len(Xev) / 16 / max(dt, 1e-6), 3),
              'epoch': float(ep + 1)}))
rt = time.time() - t_start
echo(str({'train_runtime': round(rt, 4), 'train_samples_per_second': round(EPOCHS * len(Xtr) / rt, 3),
          'train_steps_per_second': round(total / rt, 3), 'train_loss': round(all_loss / total, 4), 'epoch': float(EPOCHS)}))
# Bayes-optimal accuracy on the eval set (the generating topic distributions are known)
ll = np.log(topic_p)[:, Xev.numpy()].sum(-1)  # (C, n)
bayes = float((ll.argmax(0) == yev.numpy()).mean())
print(f"bayes-optimal eval accuracy: {bayes:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(el, 4), "val_acc": round(ea, 4), "bayes_acc": round(bayes, 4), "chance_acc": 0.25}))
