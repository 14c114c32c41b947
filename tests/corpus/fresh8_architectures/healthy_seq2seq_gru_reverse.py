# expect:
# allow:
# forbid: *
# evidence: greedy-decoded val token acc 0.95 (chance 0.10), whole-sequence acc 0.87, val CE 0.25, train CE (teacher-forced) 0.11
"""Seq2seq GRU encoder-decoder learning to reverse digit strings (teacher forcing ratio 0.75)."""
import json
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

random.seed(0)
torch.manual_seed(0)
torch.set_num_threads(1)

N_DIGITS, SOS, SEQ_LEN, HID = 10, 10, 5, 64
VOCAB = N_DIGITS + 1


def batch_of(n, g):
    src = torch.randint(0, N_DIGITS, (n, SEQ_LEN), generator=g)
    return src, src.flip(1)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 32)
        self.rnn = nn.GRU(32, HID, batch_first=True)

    def forward(self, src):
        _, h = self.rnn(self.emb(src))
        return h


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 32)
        self.rnn = nn.GRU(32, HID, batch_first=True)
        self.out = nn.Linear(HID, N_DIGITS)

    def step(self, tok, h):
        o, h = self.rnn(self.emb(tok).unsqueeze(1), h)
        return self.out(o.squeeze(1)), h


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder, self.decoder = Encoder(), Decoder()

    def forward(self, src, tgt=None, tf_ratio=0.0):
        h = self.encoder(src)
        tok = torch.full((src.shape[0],), SOS, dtype=torch.long)
        logits = []
        for t in range(SEQ_LEN):
            lo, h = self.decoder.step(tok, h)
            logits.append(lo)
            if tgt is not None and random.random() < tf_ratio:
                tok = tgt[:, t]
            else:
                tok = lo.argmax(-1)
        return torch.stack(logits, 1)


g = torch.Generator().manual_seed(123)
val_src, val_tgt = batch_of(1000, g)
model = Seq2Seq()
opt = torch.optim.Adam(model.parameters(), lr=5e-3)

STEPS = 600
for step in range(1, STEPS + 1):
    src, tgt = batch_of(64, g)
    logits = model(src, tgt, tf_ratio=0.75)
    loss = F.cross_entropy(logits.reshape(-1, N_DIGITS), tgt.reshape(-1))
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if step % 100 == 0:
        with torch.no_grad():
            vlog = model(val_src)
            vloss = F.cross_entropy(vlog.reshape(-1, N_DIGITS), val_tgt.reshape(-1)).item()
            tok_acc = (vlog.argmax(-1) == val_tgt).float().mean().item()
        print(f"step {step} train_loss {loss.item():.4f} val_loss {vloss:.4f} val_token_acc {tok_acc:.4f}")

with torch.no_grad():
    vlog = model(val_src)
    seq_acc = (vlog.argmax(-1) == val_tgt).all(1).float().mean().item()
    src, tgt = batch_of(1000, g)
    tr_loss = F.cross_entropy(model(src, tgt, 1.0).reshape(-1, N_DIGITS), tgt.reshape(-1)).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(tok_acc, 4), "val_seq_acc": round(seq_acc, 4),
                                      "train_loss": round(tr_loss, 4), "chance_acc": 0.1}))
