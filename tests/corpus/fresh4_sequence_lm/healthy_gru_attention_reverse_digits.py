# expect:
# allow:
# forbid: *
# evidence: greedy-decoded held-out exact match 1.000 on reversed digit strings; val token loss 0.0059, train 0.0054
"""GRU encoder-decoder with additive (Bahdanau) attention that reverses digit strings of length 5-9."""
import json
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(5)
random.seed(5)

PAD, SOS, EOS = 0, 1, 2
DIGIT0 = 3                       # tokens 3..12 are digits 0..9
VOCAB = 13
MAXLEN = 9


def make_pairs(n):
    pairs = []
    for _ in range(n):
        L = random.randint(5, MAXLEN)
        s = [random.randint(0, 9) + DIGIT0 for _ in range(L)]
        pairs.append((s, s[::-1]))
    return pairs


def collate(pairs):
    B = len(pairs)
    src = torch.full((B, MAXLEN), PAD)
    tgt = torch.full((B, MAXLEN + 2), PAD)
    for i, (s, t) in enumerate(pairs):
        src[i, :len(s)] = torch.tensor(s)
        tgt[i, :len(t) + 2] = torch.tensor([SOS] + t + [EOS])
    return src, tgt


class Encoder(nn.Module):
    def __init__(self, hid):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, hid, padding_idx=PAD)
        self.rnn = nn.GRU(hid, hid, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(2 * hid, hid)

    def forward(self, src):
        out, h = self.rnn(self.emb(src))
        h0 = torch.tanh(self.bridge(torch.cat([h[0], h[1]], -1)))
        return out, h0


class AttnDecoder(nn.Module):
    def __init__(self, hid):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, hid, padding_idx=PAD)
        self.W_enc = nn.Linear(2 * hid, hid, bias=False)
        self.W_dec = nn.Linear(hid, hid)
        self.v = nn.Linear(hid, 1, bias=False)
        self.cell = nn.GRUCell(hid + 2 * hid, hid)
        self.out = nn.Linear(hid + 2 * hid, VOCAB)

    def step(self, tok, h, enc, enc_proj, mask):
        e = self.v(torch.tanh(enc_proj + self.W_dec(h).unsqueeze(1))).squeeze(-1)
        e = e.masked_fill(~mask, -1e9)
        a = F.softmax(e, -1)
        ctx = torch.bmm(a.unsqueeze(1), enc).squeeze(1)
        h = self.cell(torch.cat([self.emb(tok), ctx], -1), h)
        return self.out(torch.cat([h, ctx], -1)), h


class Seq2Seq(nn.Module):
    def __init__(self, hid=64):
        super().__init__()
        self.enc, self.dec = Encoder(hid), AttnDecoder(hid)

    def forward(self, src, tgt_in):
        """teacher-forced logits for every decoder input token"""
        enc, h = self.enc(src)
        proj, mask = self.dec.W_enc(enc), src != PAD
        logits = []
        for t in range(tgt_in.size(1)):
            lo, h = self.dec.step(tgt_in[:, t], h, enc, proj, mask)
            logits.append(lo)
        return torch.stack(logits, 1)

    @torch.no_grad()
    def greedy(self, src, steps):
        enc, h = self.enc(src)
        proj, mask = self.dec.W_enc(enc), src != PAD
        tok = torch.full((src.size(0),), SOS)
        outs = []
        for _ in range(steps):
            lo, h = self.dec.step(tok, h, enc, proj, mask)
            tok = lo.argmax(-1)
            outs.append(tok)
        return torch.stack(outs, 1)


train_pairs, val_pairs = make_pairs(4000), make_pairs(500)
model = Seq2Seq()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
crit = nn.CrossEntropyLoss(ignore_index=PAD)
BS, EPOCHS = 64, 3


def seq_loss(pairs):
    src, tgt = collate(pairs)
    logits = model(src, tgt[:, :-1])
    return crit(logits.reshape(-1, VOCAB), tgt[:, 1:].reshape(-1))


def exact_match(pairs):
    src, tgt = collate(pairs)
    pred = model.greedy(src, MAXLEN + 1)
    gold = tgt[:, 1:]
    ok = ((pred == gold) | (gold == PAD)).all(1)
    return ok.float().mean().item()


for epoch in range(EPOCHS):
    random.shuffle(train_pairs)
    model.train()
    for i in range(0, len(train_pairs), BS):
        loss = seq_loss(train_pairs[i:i + BS])
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    model.eval()
    with torch.no_grad():
        vl = seq_loss(val_pairs).item()
        tl = seq_loss(train_pairs[:500]).item()
    print(f"epoch {epoch + 1}: train_loss {tl:.4f}  val_loss {vl:.4f}  val_exact {exact_match(val_pairs):.3f}")

em = exact_match(val_pairs)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "train_loss": round(tl, 4), "val_exact_match": round(em, 4)}))
