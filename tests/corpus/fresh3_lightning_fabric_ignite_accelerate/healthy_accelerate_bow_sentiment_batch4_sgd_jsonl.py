# expect:
# allow:
# forbid: *
# evidence: val_acc 0.896, val_loss 0.339 (chance 0.5; 6% label noise caps acc at ~0.94); per-step train loss very noisy (batch 4) while per-epoch val loss 0.37 -> 0.32-0.34
# native-log: sentiment_log.jsonl
# log-expect:
# log-allow:
"""HF accelerate loop (Accelerator().prepare, accelerator.backward) for binary 'review sentiment' on
bag-of-words (log1p counts): 500-word vocabulary, 30 positive and 30 negative cue words plus Zipf
filler; a review has 2-5 cue words of its polarity and 0-1 of the other, 6% labels flipped. Tiny batches of 4 with plain SGD (lr 0.05, no momentum), so the
per-step loss written to the JSONL log is very noisy (it jumps between ~0 and >1 from one step to
the next) while the epoch-level validation loss goes down smoothly. One JSON line per logged step
(own log, since this loop uses no tracker), one per epoch with validation metrics.
"""
import json
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

from accelerate import Accelerator
from accelerate.utils import set_seed

warnings.filterwarnings("ignore")
V = 500


def reviews(n, g, pos_words, neg_words):
    zipf = 1.0 / torch.arange(1, V + 1).float() ** 1.1
    zipf /= zipf.sum()
    x = torch.zeros(n, V)
    y = torch.randint(0, 2, (n,), generator=g)
    for i in range(n):
        length = int(torch.randint(15, 50, (1,), generator=g))
        n_major = int(torch.randint(2, 6, (1,), generator=g))
        n_minor = int(torch.randint(0, 2, (1,), generator=g))
        major, minor = (pos_words, neg_words) if y[i] == 1 else (neg_words, pos_words)
        words = torch.cat([torch.multinomial(zipf, length, replacement=True, generator=g),
                           major[torch.randint(0, 30, (n_major,), generator=g)],
                           minor[torch.randint(0, 30, (n_minor,), generator=g)]])
        x[i].index_add_(0, words, torch.ones(len(words)))
    flip = torch.rand(n, generator=g) < 0.06
    y[flip] = 1 - y[flip]
    return torch.log1p(x), y


def main():
    torch.set_num_threads(1)
    set_seed(2)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="senti_")
    os.makedirs(log_dir, exist_ok=True)
    g = torch.Generator().manual_seed(2)
    perm = torch.randperm(V, generator=g)
    perm = perm[perm >= 30]
    pos_words, neg_words = perm[:30], perm[30:60]
    xtr, ytr = reviews(2000, g, pos_words, neg_words)
    xva, yva = reviews(800, g, pos_words, neg_words)
    accelerator = Accelerator(cpu=True)
    model = nn.Sequential(nn.Linear(V, 32), nn.ReLU(), nn.Linear(32, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=4, shuffle=True)
    model, opt, dl = accelerator.prepare(model, opt, dl)
    step = 0
    with open(os.path.join(log_dir, "sentiment_log.jsonl"), "w") as log:
        for epoch in range(4):
            model.train()
            for x, y in dl:
                loss = F.cross_entropy(model(x), y)
                opt.zero_grad()
                accelerator.backward(loss)
                opt.step()
                if step % 10 == 0:
                    log.write(json.dumps({"step": step, "epoch": epoch, "train_loss": round(loss.item(), 5),
                                          "lr": 0.05}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            log.write(json.dumps({"step": step, "epoch": epoch,
                                  "val_loss": round(F.cross_entropy(lv, yva).item(), 5),
                                  "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 5)}) + "\n")
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "train_acc": round((lt.argmax(1) == ytr).float().mean().item(), 4),
        "label_noise": 0.06,
        "chance_acc": 0.5,
    }))


if __name__ == "__main__":
    main()
