# expect:
# allow:
# forbid: *
# evidence: val_acc 0.983, val_loss 0.041 after 3 epochs (train_acc 0.998; majority class 0.505); mid-run val_acc wobbles 0.935-0.977 from the batch-16 noise
"""Variable-length sequence classifier: a bidirectional GRU over embedded tokens, fed with
pack_padded_sequence so padding never enters the recurrence.  Label: does the sequence contain
more 'open' tokens than 'close' tokens, with ties impossible by construction; lengths 5..40.
Dropout on the embeddings, Adam, gradient clipping at 5, small noisy batches of 16.
Progress printed every 100 steps."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence

torch.set_num_threads(1)
torch.manual_seed(42)

VOCAB, PAD, OPEN, CLOSE = 20, 0, 1, 2


def make_split(n, gen):
    seqs, labels = [], []
    for _ in range(n):
        length = int(torch.randint(5, 41, (1,), generator=gen))
        if length % 2 == 0:
            length += 1  # odd number of open/close tokens -> no ties
        n_special = int(torch.randint(1, length + 1, (1,), generator=gen))
        if n_special % 2 == 0:
            n_special -= 1
        tok = torch.randint(3, VOCAB, (length,), generator=gen)
        pos = torch.randperm(length, generator=gen)[:n_special]
        kinds = torch.where(torch.rand(n_special, generator=gen) < 0.5, OPEN, CLOSE)
        tok[pos] = kinds
        seqs.append(tok)
        labels.append(int((kinds == OPEN).sum() > (kinds == CLOSE).sum()))
    lengths = torch.tensor([len(s) for s in seqs])
    padded = nn.utils.rnn.pad_sequence(seqs, batch_first=True, padding_value=PAD)
    return padded, lengths, torch.tensor(labels)


class GRUClassifier(nn.Module):
    def __init__(self, emb=32, hidden=48):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, emb, padding_idx=PAD)
        self.drop = nn.Dropout(0.1)
        self.gru = nn.GRU(emb, hidden, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * hidden, 2)

    def forward(self, x, lengths):
        e = self.drop(self.emb(x))
        packed = pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False)
        _, h = self.gru(packed)               # h: (2, B, hidden)
        return self.fc(torch.cat([h[0], h[1]], dim=1))


gen = torch.Generator().manual_seed(0)
x_tr, len_tr, y_tr = make_split(2400, gen)
x_va, len_va, y_va = make_split(600, gen)

model = GRUClassifier()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)


def evaluate(x, lengths, y):
    model.eval()
    with torch.no_grad():
        logits = model(x, lengths)
        loss = F.cross_entropy(logits, y).item()
        acc = (logits.argmax(1) == y).float().mean().item()
    model.train()
    return loss, acc


BATCH = 16
step = 0
for epoch in range(3):
    perm = torch.randperm(len(y_tr), generator=gen)
    for i in range(0, len(perm), BATCH):
        idx = perm[i:i + BATCH]
        lengths = len_tr[idx]
        x = x_tr[idx][:, :int(lengths.max())]
        loss = F.cross_entropy(model(x, lengths), y_tr[idx])
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        step += 1
        if step % 75 == 0:
            vl, va = evaluate(x_va, len_va, y_va)
            print(f"epoch {epoch} step {step} loss {loss.item():.3f} val_loss {vl:.3f} val_acc {va:.3f}")

vl, va = evaluate(x_va, len_va, y_va)
tl, ta = evaluate(x_tr[:1000], len_tr[:1000], y_tr[:1000])
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4),
    "chance_acc": round(max(y_va.float().mean().item(), 1 - y_va.float().mean().item()), 4)}))
