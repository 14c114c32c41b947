# expect:
# allow:
# forbid: *
# evidence: deterministic tags: train masked-token CE 0.00049, val 0.00086 at epoch 22 (val tracks train all the way down), val token acc 1.000 vs all-O 0.801, entity-token F1 1.000
# native-log: tagger_log.jsonl
# log-expect:
# log-allow:
"""Healthy: BiLSTM sequence labelling (BIO chunk tags) on padded batches, token-averaged masked loss.

Synthetic "NER": sentences of 5-30 tokens from a 60-word vocabulary; entity spans start at a
trigger word class and continue over name-like words, so the B-/I-/O tag of a token is fully
determined by the sentence (no label noise).  Batches are padded to the longest sentence; the loss
is the per-token CE multiplied by a padding mask and divided by the number of real tokens (no nn
loss reduction).  Embedding 32, BiLSTM 64, Adam lr=2e-3, 22 epochs: the train loss goes to ~0 and,
as the task is deterministic, the held-out loss follows it.  Metrics: held-out token accuracy and
entity-token F1 (reference: all-O tagging).  Writes its own JSONL log.
"""
import json, os, tempfile
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
VOC, PAD = 60, 60
TRIG = set(range(0, 6)); NAME = set(range(6, 20))
TAGS = {"O": 0, "B-PER": 1, "I-PER": 2, "B-ORG": 3, "I-ORG": 4}

def tag(sent):
    out = []; prev = None
    for i, w in enumerate(sent):
        if w in NAME and i > 0 and (sent[i - 1] in TRIG or (prev is not None and prev != 0)):
            kind = (1 if sent[i - 1] < 3 else 3) if sent[i - 1] in TRIG else (1 if prev in (1, 2) else 3)
            t = kind if sent[i - 1] in TRIG else kind + 1
        else: t = 0
        out.append(t); prev = t
    return out

def make(n, g):
    S = []
    for _ in range(n):
        ln = int(torch.randint(5, 31, (1,), generator=g)); s = []
        while len(s) < ln:
            r = float(torch.rand(1, generator=g))
            if r < 0.12: s += [int(torch.randint(0, 6, (1,), generator=g))] + torch.randint(6, 20, (int(torch.randint(1, 4, (1,), generator=g)),), generator=g).tolist()
            elif r < 0.2: s.append(int(torch.randint(6, 20, (1,), generator=g)))
            else: s.append(int(torch.randint(20, 60, (1,), generator=g)))
        s = s[:ln]; S.append((s, tag(s)))
    return S

def pad(batch):
    T = max(len(s) for s, _ in batch); X = torch.full((len(batch), T), PAD); Y = torch.zeros(len(batch), T, dtype=torch.long)
    for i, (s, t) in enumerate(batch): X[i, :len(s)] = torch.tensor(s); Y[i, :len(t)] = torch.tensor(t)
    return X, Y, (X != PAD).float()

g = torch.Generator().manual_seed(1)
tr = make(1200, g); va = make(400, g)

class Tagger(nn.Module):
    def __init__(s):
        super().__init__(); s.emb = nn.Embedding(VOC + 1, 32, padding_idx=PAD); s.rnn = nn.LSTM(32, 64, batch_first=True, bidirectional=True); s.out = nn.Linear(128, 5)
    def forward(s, x): return s.out(s.rnn(s.emb(x))[0])

def masked_ce(logits, y, mask):
    ce = F.cross_entropy(logits.reshape(-1, 5), y.reshape(-1), reduction="none").view_as(mask)
    return (ce * mask).sum() / mask.sum()

def evaluate(data):
    m.eval(); X, Y, M = pad(data)
    with torch.no_grad():
        lo = m(X); loss = float(masked_ce(lo, Y, M)); P = lo.argmax(-1); real = M.bool()
        acc = float((P[real] == Y[real]).float().mean())
        tp = float(((P == Y) & (Y > 0) & real).sum()); fp = float(((P != Y) & (P > 0) & real).sum()); fn = float(((P != Y) & (Y > 0) & real).sum())
    m.train(); return loss, acc, 2 * tp / max(2 * tp + fp + fn, 1)

m = Tagger(); opt = torch.optim.Adam(m.parameters(), lr=2e-3)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
log = open(os.path.join(logdir, "tagger_log.jsonl"), "w")
for ep in range(22):
    perm = torch.randperm(len(tr), generator=g).tolist(); tot = 0.0; nb = 0
    for i in range(0, len(tr), 32):
        X, Y, M = pad([tr[j] for j in perm[i:i + 32]]); loss = masked_ce(m(X), Y, M)
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    vl, vacc, vf1 = evaluate(va)
    log.write(json.dumps({"ep": ep, "tok_loss": round(tot / nb, 6), "dev_tok_loss": round(vl, 6), "dev_tok_acc": round(vacc, 5), "dev_entity_f1": round(vf1, 5)}) + "\n"); log.flush()
    print(f"epoch {ep} loss {tot/nb:.5f} val_loss {vl:.5f} val_acc {vacc:.4f} val_f1 {vf1:.4f}")
tl, tacc, _ = evaluate(tr)
_, Yv, Mv = pad(va); all_o = float((Yv[Mv.bool()] == 0).float().mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 5), "val_acc": round(vacc, 4), "val_entity_f1": round(vf1, 4), "train_loss": round(tl, 5), "train_acc": round(tacc, 4), "all_O_acc": round(all_o, 4)}))
