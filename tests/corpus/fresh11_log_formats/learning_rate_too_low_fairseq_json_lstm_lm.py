# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (--lr 1e-5): valid_loss 5.471 -> 5.455 -> 5.442 -> 5.432 -> 5.423 bits over 5 epochs (valid_ppl 44.4 -> 42.9, uniform ppl 44), train_loss 5.476 -> 5.427, gnorm steady ~0.30; control (--lr 5e-3, same everything else): valid_loss 2.647 after epoch 1 -> 2.542 (ppl 5.82)
# control: --control
# native-log: train.json.log
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
"""fairseq-0.9-style word-level LSTM LM trained from scratch with a fine-tuning learning rate.

The command line was copied from a fine-tuning recipe: --lr 1e-5 with inverse_sqrt warmup, on a
randomly initialised model.  The run uses fairseq's `--log-format json`: one JSON object per line,
stats as strings ('{:.3f}' for meters, '{:g}' for numbers), train_inner lines every 20 updates,
then `train_*` and `valid_*` prefixed summaries per epoch.  Losses in base 2 (ppl = 2 ** loss).
--control uses --lr 5e-3 (the value of the from-scratch recipe); nothing else changes.
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
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="fairseq_lrlow_")
os.makedirs(LOG_DIR, exist_ok=True)
LOG = open(os.path.join(LOG_DIR, "train.json.log"), "w")


def log(msg):
    print(msg)
    LOG.write(msg + "\n")
    LOG.flush()


def log_json(stats):
    log(json.dumps({k: (v if k == "epoch" else ("{:g}".format(v) if isinstance(v, (int, float)) and k in
                    ("lr", "train_lr", "num_updates", "train_num_updates", "valid_num_updates", "oom", "train_oom") else
                    "{:.3f}".format(v))) for k, v in stats.items()}))


rng = random.Random(5)
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


class LSTMLM(nn.Module):
    def __init__(self, V, d=96):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.rnn = nn.LSTM(d, d, batch_first=True)
        self.drop = nn.Dropout(0.1)
        self.out = nn.Linear(d, V)

    def forward(self, x):
        h, _ = self.rnn(self.drop(self.emb(x)))
        return self.out(self.drop(h))


model = LSTMLM(len(vocab))
LR = 5e-3 if CONTROL else 1e-5
WARMUP, WARMUP_INIT, BSZ, MAX_EPOCH, LOG_INTERVAL, CLIP = 60, 1e-7, 16, 5, 20, 0.5
opt = torch.optim.Adam(model.parameters(), lr=WARMUP_INIT, betas=(0.9, 0.98), eps=1e-8)


def inverse_sqrt(num_updates):
    if num_updates < WARMUP:
        return WARMUP_INIT + num_updates * (LR - WARMUP_INIT) / WARMUP
    return LR * math.sqrt(WARMUP / num_updates)


log(f"| dictionary: {len(vocab)} types")
log(f"| loaded {len(tr_x)} blocks from: data-bin/toy/train")
log(f"| model lstm_lm, criterion CrossEntropyCriterion")
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
    t_ep = time.time()
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
            log_json({"epoch": epoch, "update": epoch - 1 + (i + 1) / nb, "loss": l, "nll_loss": l, "ppl": 2 ** l,
                      "wps": win_tok / dt, "ups": len(win_gn) / dt, "wpb": float(BSZ * TPS), "bsz": float(BSZ),
                      "num_updates": num_updates, "lr": opt.param_groups[0]["lr"], "gnorm": float(np.mean(win_gn)),
                      "clip": float(np.mean(np.array(win_gn) > CLIP)), "oom": 0, "wall": time.time() - t_wall,
                      "train_wall": time.time() - t_wall})
            win_loss, win_tok, win_gn, t_win = 0.0, 0, [], time.time()
    tl = ep_loss / ep_tok
    dt = time.time() - t_ep
    log_json({"epoch": epoch, "train_loss": tl, "train_nll_loss": tl, "train_ppl": 2 ** tl, "train_wps": ep_tok / dt,
              "train_ups": nb / dt, "train_wpb": float(BSZ * TPS), "train_bsz": float(BSZ),
              "train_num_updates": num_updates, "train_lr": opt.param_groups[0]["lr"],
              "train_gnorm": float(np.mean(ep_gn)), "train_clip": float(np.mean(np.array(ep_gn) > CLIP)),
              "train_oom": 0, "train_wall": time.time() - t_wall, "train_train_wall": time.time() - t_wall})
    model.eval()
    with torch.no_grad():
        vl = F.cross_entropy(model(va_x).reshape(-1, len(vocab)), va_y.reshape(-1)).item() / LN2
    log_json({"epoch": epoch, "valid_loss": vl, "valid_nll_loss": vl, "valid_ppl": 2 ** vl,
              "valid_num_updates": num_updates})
log(f"| done training in {time.time() - t_wall:.1f} seconds")
LOG.close()
print("CORPUS_METRIC " + json.dumps({"val_loss_bits": round(vl, 4), "val_ppl": round(2 ** vl, 3),
                                      "train_loss_bits": round(tl, 4), "uniform_ppl": len(vocab)}))
