# expect:
# allow:
# forbid: *
# evidence: clean held-out tags: val_acc 1.00, chunk F1 1.00, val_loss 0.075 (majority-tag acc 0.51); train loss on the 8%-noised tags stays at 0.33 (train acc 0.93), as expected
"""BIO chunk tagger (B-NP/I-NP/B-VP/I-VP/O) with a 2-layer bidirectional GRU over
pack_padded_sequence, trained with batch size 4 (the way people fine-tune taggers on small
annotated sets) and plain SGD + momentum with a step decay. 8% of the training tags were
flipped at random to mimic annotation noise, so the train loss is noisy from batch to batch and
stays well above zero; the validation tags are clean. Evaluated by token accuracy and by
exact-chunk F1 on held-out sentences.
"""
import json
import random

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.set_num_threads(1)
torch.manual_seed(15)
random.seed(15)

DET, ADJ = ["the", "a", "this"], ["tall", "new", "dark", "quick"]
NOUN = ["tree", "house", "song", "road", "teacher", "storm"]
AUX, VERB = ["will", "can", "has"], ["grow", "break", "move", "sing", "stop"]
ADV, CONJ = ["slowly", "again", "today"], ["and", "but"]
TAGS = ["<pad>", "O", "B-NP", "I-NP", "B-VP", "I-VP"]
words = ["<pad>"] + sorted(set(DET + ADJ + NOUN + AUX + VERB + ADV + CONJ))
wid = {w: i for i, w in enumerate(words)}


def np_():
    c = [random.choice(DET)] + [random.choice(ADJ) for _ in range(random.randint(0, 2))] + [random.choice(NOUN)]
    return list(zip(c, ["B-NP"] + ["I-NP"] * (len(c) - 1)))


def vp():
    c = ([random.choice(AUX)] if random.random() < 0.5 else []) + [random.choice(VERB)]
    return list(zip(c, ["B-VP"] + ["I-VP"] * (len(c) - 1)))


def sentence():
    s = np_() + vp() + np_()
    if random.random() < 0.4:
        s += [(random.choice(ADV), "O")]
    if random.random() < 0.4:
        s += [(random.choice(CONJ), "O")] + np_() + vp() + np_()
    return s


def encode(sents, noise):
    out = []
    for s in sents:
        x = torch.tensor([wid[w] for w, _ in s])
        y = torch.tensor([TAGS.index(t) if random.random() >= noise else random.randint(1, 5) for _, t in s])
        out.append((x, y))
    return out


train = encode([sentence() for _ in range(500)], 0.08)
val = encode([sentence() for _ in range(300)], 0.0)


def collate(items):
    items = sorted(items, key=lambda t: -len(t[0]))
    lens = torch.tensor([len(x) for x, _ in items])
    X = nn.utils.rnn.pad_sequence([x for x, _ in items], batch_first=True)
    Y = nn.utils.rnn.pad_sequence([y for _, y in items], batch_first=True)
    return X, Y, lens


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(len(words), 24, padding_idx=0)
        self.gru = nn.GRU(24, 32, num_layers=2, bidirectional=True, batch_first=True, dropout=0.2)
        self.out = nn.Linear(64, len(TAGS))

    def forward(self, X, lens):
        packed = pack_padded_sequence(self.emb(X), lens, batch_first=True)
        h, _ = pad_packed_sequence(self.gru(packed)[0], batch_first=True)
        return self.out(h)


def chunks(tags):
    out, start = set(), None
    for i, t in enumerate(tags + ["O"]):
        if start is not None and not t.startswith("I-"):
            out.add((start, i, kind))
            start = None
        if t.startswith("B-"):
            start, kind = i, t[2:]
    return out


model = Tagger()
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.3)


def evaluate(data):
    model.eval()
    X, Y, L = collate(data)
    with torch.no_grad():
        lg = model(X, L)
    m = Y != 0
    loss = F.cross_entropy(lg[m], Y[m]).item()
    acc = (lg.argmax(-1)[m] == Y[m]).float().mean().item()
    tp = fp = fn = 0
    for p_, y_, n in zip(lg.argmax(-1), Y, L):
        pc = chunks([TAGS[i] for i in p_[:n].tolist()])
        gc = chunks([TAGS[i] for i in y_[:n].tolist()])
        tp, fp, fn = tp + len(pc & gc), fp + len(pc - gc), fn + len(gc - pc)
    model.train()
    return loss, acc, 2 * tp / max(1, 2 * tp + fp + fn)


for epoch in range(5):
    random.shuffle(train)
    for i in range(0, len(train), 4):
        X, Y, L = collate(train[i:i + 4])
        loss = F.cross_entropy(model(X, L).reshape(-1, len(TAGS)), Y.reshape(-1), ignore_index=0)
        opt.zero_grad()
        loss.backward()
        opt.step()
    sched.step()
    vl, va, vf = evaluate(val)
    print(f"epoch {epoch} last_batch_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f} val_chunk_f1 {vf:.4f}")

vl, va, vf = evaluate(val)
tl, ta, _ = evaluate(train)
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vl, 4), "val_acc": round(va, 4), "val_chunk_f1": round(vf, 4),
    "train_loss_noisy_labels": round(tl, 4), "train_acc_noisy_labels": round(ta, 4),
    "majority_acc": round(max(sum((y == k).sum().item() for _, y in val) for k in range(1, 6)) / sum(len(y) for _, y in val), 4)}))
