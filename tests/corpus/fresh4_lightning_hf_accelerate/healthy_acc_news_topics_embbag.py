# News-headline topic classifier (5 topics) with an EmbeddingBag model over
# word ids + hashed bigrams, trained with accelerate.  Early stopping on
# validation loss with patience 3, best weights restored.  CSV log of my own.
#
# expect:
# allow:
# forbid: *
# evidence: best-epoch val_acc 0.95 / val_loss 0.12 on 1000 held-out headlines (chance 0.20; some headlines carry a cross-topic word, so ~5% are ambiguous); early stop after 9 epochs
# native-log: train_history.csv
# log-expect:
# log-allow:
import csv
import json
import os
import random
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from accelerate import Accelerator
from accelerate.utils import set_seed

torch.set_num_threads(1)
set_seed(2718)

TOPICS = {
    "sports": "match goal coach league season team win striker final injury",
    "tech": "chip software startup cloud update phone launch ai security data",
    "politics": "vote senate election minister bill campaign policy party debate law",
    "health": "vaccine hospital study patients doctors virus diet trial drug care",
    "finance": "stocks market bank rates inflation earnings shares investors fund bond",
}
COMMON = "the a new after over in on for as says report amid week big first".split()
words = sorted({w for s in TOPICS.values() for w in s.split()} | set(COMMON))
W = {w: i + 1 for i, w in enumerate(words)}
N_HASH = 512


def headline(rng):
    t = rng.randrange(5)
    topic_words = list(TOPICS.values())[t].split()
    other = list(TOPICS.values())[rng.randrange(5)].split()
    toks = [rng.choice(COMMON) for _ in range(rng.randint(2, 5))]
    toks += [rng.choice(topic_words) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.4:
        toks.append(rng.choice(other))  # cross-topic noise word
    rng.shuffle(toks)
    ids = [W[w] for w in toks]
    ids += [len(W) + 1 + (hash((a, b)) % N_HASH) for a, b in zip(ids, ids[1:])]
    return ids, t


def batches(data, bs, shuffle, rng):
    idx = list(range(len(data)))
    if shuffle:
        rng.shuffle(idx)
    for i in range(0, len(idx), bs):
        chunk = [data[j] for j in idx[i:i + bs]]
        flat = torch.tensor([t for ids, _ in chunk for t in ids])
        offsets = torch.tensor([0] + [len(ids) for ids, _ in chunk[:-1]]).cumsum(0)
        yield flat, offsets, torch.tensor([y for _, y in chunk])


class BagModel(nn.Module):
    def __init__(self, vocab, dim=32, n_cls=5):
        super().__init__()
        self.bag = nn.EmbeddingBag(vocab, dim, mode="mean")
        self.fc = nn.Linear(dim, n_cls)

    def forward(self, flat, offsets):
        return self.fc(self.bag(flat, offsets))


rng = random.Random(2718)
train = [headline(rng) for _ in range(4000)]
val = [headline(rng) for _ in range(1000)]
accelerator = Accelerator(cpu=True)
model = BagModel(len(W) + 1 + N_HASH + 1)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
model, opt = accelerator.prepare(model, opt)

log_path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "train_history.csv")
best, best_state, bad = float("inf"), None, 0
with open(log_path, "w", newline="") as fh:
    log = csv.writer(fh)
    log.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(30):
        model.train()
        tl = ta = n = 0
        for flat, off, y in batches(train, 64, True, rng):
            out = model(flat, off)
            loss = F.cross_entropy(out, y)
            opt.zero_grad()
            accelerator.backward(loss)
            opt.step()
            tl += loss.item() * len(y); ta += (out.argmax(1) == y).sum().item(); n += len(y)
        model.eval()
        with torch.no_grad():
            flat, off, y = next(batches(val, len(val), False, rng))
            out = model(flat, off)
            vl, va = F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()
        log.writerow([epoch, round(tl / n, 5), round(ta / n, 4), round(vl, 5), round(va, 4)])
        if vl < best - 1e-4:
            best, best_va, bad = vl, va, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
            if bad >= 3:
                accelerator.print(f"early stop at epoch {epoch}")
                break
model.load_state_dict(best_state)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(best, 4), "val_acc": round(best_va, 4),
                                     "train_loss": round(tl / n, 4), "chance_acc": 0.2, "epochs": epoch + 1}))
