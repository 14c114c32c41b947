# expect:
# allow:
# forbid: *
# evidence: GRU LM, Adam + inverse_sqrt (peak 5e-3 after 60 updates), 5 epochs: valid loss 2.631 -> 2.564 -> 2.551 -> 2.549 -> 2.550 bits (ppl 5.85; uniform ppl 44), train 3.964 (epoch 1 incl. warmup) -> 2.532; valid flat within 0.002 bits over the last 3 epochs while train still edges down 0.026 bits: converged to the randomness of the grammar, train/valid gap 0.02 bits
# native-log: train.log
# log-expect:
# log-allow:
"""fairseq-0.9-style word-level GRU language model; the console log is kept as train.log.

Lines follow fairseq's simple progress bar and end-of-epoch prints:
  | epoch 001:     20 / 58 loss=6.321, nll_loss=6.321, ppl=79.93, wps=..., num_updates=20, lr=..., gnorm=...
  | epoch 001 | loss 5.402 | nll_loss 5.402 | ppl 42.27 | ... | num_updates 58 | lr ... | gnorm ...
  | epoch 001 | valid on 'valid' subset | loss 4.9 | nll_loss 4.9 | ppl 29.9 | num_updates 58
Losses are in base 2 as fairseq reports them (ppl = 2 ** loss).  Adam with fairseq's inverse_sqrt
schedule (linear warmup from warmup_init_lr, then lr * sqrt(warmup / update)).
"""
import json
import math
import os
import random
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
SEED = 1
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="fairseq_healthy_")
os.makedirs(LOG_DIR, exist_ok=True)
LOG = open(os.path.join(LOG_DIR, "train.log"), "w")


def log(msg):
    print(msg)
    LOG.write(msg + "\n")
    LOG.flush()


rng = random.Random(3)
DET = {"sg": ["the", "a", "one", "this"], "pl": ["the", "two", "some", "these"]}
NOUN = {"sg": ["dog", "cat", "bird", "child", "farmer", "sailor", "teacher"],
        "pl": ["dogs", "cats", "birds", "children", "farmers", "sailors", "teachers"]}
VERB = {"sg": ["sees", "likes", "chases", "helps", "calls"], "pl": ["see", "like", "chase", "help", "call"]}
ADJ = ["big", "small", "old", "young", "happy", "tired"]
PREP = ["near", "behind", "with", "under"]


def np_phrase():
    n = rng.choice(["sg", "pl"])
    words = [rng.choice(DET[n])] + ([rng.choice(ADJ)] if rng.random() < 0.4 else []) + [rng.choice(NOUN[n])]
    return words, n


def sentence():
    subj, n = np_phrase()
    obj, _ = np_phrase()
    s = subj + [rng.choice(VERB[n])] + obj
    if rng.random() < 0.35:
        s += [rng.choice(PREP)] + np_phrase()[0]
    return s + ["."]


tokens = [w for _ in range(4200) for w in sentence() + ["</s>"]]
vocab = ["<pad>"] + sorted(set(tokens))
idx = {w: i for i, w in enumerate(vocab)}
ids = torch.tensor([idx[w] for w in tokens])
TPS = 32                                     # --tokens-per-sample
n_blocks = (len(ids) - 1) // TPS
blocks_x = ids[:n_blocks * TPS].view(n_blocks, TPS)
blocks_y = ids[1:n_blocks * TPS + 1].view(n_blocks, TPS)
n_val = n_blocks // 10
tr_x, tr_y, va_x, va_y = blocks_x[n_val:], blocks_y[n_val:], blocks_x[:n_val], blocks_y[:n_val]


class GRULM(nn.Module):
    def __init__(self, V, d=96):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.rnn = nn.GRU(d, d, batch_first=True)
        self.drop = nn.Dropout(0.1)
        self.out = nn.Linear(d, V)

    def forward(self, x):
        h, _ = self.rnn(self.drop(self.emb(x)))
        return self.out(self.drop(h))


model = GRULM(len(vocab))
LR, WARMUP, WARMUP_INIT, BSZ, MAX_EPOCH, LOG_INTERVAL, CLIP = 5e-3, 60, 1e-7, 16, 5, 20, 0.5
opt = torch.optim.Adam(model.parameters(), lr=WARMUP_INIT, betas=(0.9, 0.98), eps=1e-8)


def inverse_sqrt(num_updates):
    if num_updates < WARMUP:
        return WARMUP_INIT + num_updates * (LR - WARMUP_INIT) / WARMUP
    return LR * math.sqrt(WARMUP / num_updates)


log(f"| dictionary: {len(vocab)} types")
log(f"| loaded {len(tr_x)} blocks from: data-bin/toy/train")
log(f"| model gru_lm, criterion CrossEntropyCriterion")
log(f"| num. model params: {sum(p.numel() for p in model.parameters())} "
    f"(num. trained: {sum(p.numel() for p in model.parameters())})")
log("| training on 1 GPUs")
log(f"| max tokens per GPU = {BSZ * TPS} and max sentences per GPU = {BSZ}")

num_updates = 0
t_wall = time.time()
nb = len(tr_x) // BSZ
LN2 = math.log(2)
for epoch in range(1, MAX_EPOCH + 1):
    model.train()
    perm = torch.randperm(len(tr_x))
    ep_loss, ep_tok, ep_gn, t_ep = 0.0, 0, [], time.time()
    win_loss, win_tok, win_gn, t_win = 0.0, 0, [], time.time()
    for i in range(nb):
        b = perm[i * BSZ:(i + 1) * BSZ]
        logits = model(tr_x[b])
        loss_sum = F.cross_entropy(logits.reshape(-1, len(vocab)), tr_y[b].reshape(-1), reduction="sum")
        ntok = tr_y[b].numel()
        opt.zero_grad()
        (loss_sum / ntok).backward()
        gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP).item()
        num_updates += 1
        for g in opt.param_groups:
            g["lr"] = inverse_sqrt(num_updates)
        opt.step()
        bits = loss_sum.item() / LN2
        ep_loss += bits
        ep_tok += ntok
        ep_gn.append(gnorm)
        win_loss += bits
        win_tok += ntok
        win_gn.append(gnorm)
        if num_updates % LOG_INTERVAL == 0:
            l = win_loss / win_tok
            dt = time.time() - t_win
            log(f"| epoch {epoch:03d}: {i + 1:>6} / {nb} loss={l:.3f}, nll_loss={l:.3f}, ppl={2 ** l:.2f}, "
                f"wps={win_tok / dt:.0f}, ups={len(win_gn) / dt:.0f}, wpb={BSZ * TPS:.3f}, bsz={BSZ:.3f}, "
                f"num_updates={num_updates}, lr={opt.param_groups[0]['lr']:g}, gnorm={np.mean(win_gn):.3f}, "
                f"clip={np.mean(np.array(win_gn) > CLIP):.3f}, oom=0.000, wall={time.time() - t_wall:.0f}, "
                f"train_wall={time.time() - t_wall:.0f}")
            win_loss, win_tok, win_gn, t_win = 0.0, 0, [], time.time()
    tl = ep_loss / ep_tok
    log(f"| epoch {epoch:03d} | loss {tl:.3f} | nll_loss {tl:.3f} | ppl {2 ** tl:.2f} | wps {ep_tok / (time.time() - t_ep):.0f} "
        f"| ups {nb / (time.time() - t_ep):.0f} | wpb {BSZ * TPS:.3f} | bsz {BSZ:.3f} | num_updates {num_updates} "
        f"| lr {opt.param_groups[0]['lr']:g} | gnorm {np.mean(ep_gn):.3f} | clip {np.mean(np.array(ep_gn) > CLIP):.3f} "
        f"| oom 0.000 | wall {time.time() - t_wall:.0f} | train_wall {time.time() - t_wall:.0f}")
    model.eval()
    with torch.no_grad():
        vl = F.cross_entropy(model(va_x).reshape(-1, len(vocab)), va_y.reshape(-1)).item() / LN2
    log(f"| epoch {epoch:03d} | valid on 'valid' subset | loss {vl:.3f} | nll_loss {vl:.3f} | ppl {2 ** vl:.2f} "
        f"| num_updates {num_updates}")
    log(f"| saved checkpoint checkpoints/checkpoint{epoch}.pt (epoch {epoch} @ {num_updates} updates) "
        f"(writing took 0.00 seconds)")
log(f"| done training in {time.time() - t_wall:.1f} seconds")
LOG.close()
print("CORPUS_METRIC " + json.dumps({"val_loss_bits": round(vl, 4), "val_ppl": round(2 ** vl, 3),
                                      "train_loss_bits": round(tl, 4), "uniform_ppl": len(vocab)}))
