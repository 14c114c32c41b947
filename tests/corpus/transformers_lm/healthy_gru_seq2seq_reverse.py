# expect:
# allow:
# forbid: *
# evidence: GRU encoder-decoder with attention reversing digit strings: held-out exact match 1.000, test loss 0.0082 (train 0.008)
"""GRU encoder-decoder (seq2seq, teacher forcing) that learns to reverse digit strings; greedy decoding on a held-out set."""
import json
import time

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(42)

PAD, SOS, EOS = 0, 1, 2
N_SYM = 10            # digits 0-9 -> ids 3..12
VOCAB = N_SYM + 3
MIN_LEN, MAX_LEN = 3, 8


def make_pairs(n, gen):
    src = torch.full((n, MAX_LEN + 1), PAD)
    tgt = torch.full((n, MAX_LEN + 2), PAD)
    for i in range(n):
        L = int(torch.randint(MIN_LEN, MAX_LEN + 1, (1,), generator=gen))
        s = torch.randint(3, VOCAB, (L,), generator=gen)
        src[i, :L] = s
        src[i, L] = EOS
        tgt[i, 0] = SOS
        tgt[i, 1:L + 1] = s.flip(0)
        tgt[i, L + 1] = EOS
    return src, tgt


gen = torch.Generator().manual_seed(0)
train_src, train_tgt = make_pairs(3000, gen)
test_src, test_tgt = make_pairs(500, gen)


class Seq2Seq(nn.Module):
    def __init__(self, hidden=64, emb=32):
        super().__init__()
        self.src_emb = nn.Embedding(VOCAB, emb, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(VOCAB, emb, padding_idx=PAD)
        self.encoder = nn.GRU(emb, hidden, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(2 * hidden, hidden)
        self.decoder = nn.GRU(emb, hidden, batch_first=True)
        self.attn_q = nn.Linear(hidden, 2 * hidden, bias=False)
        self.out = nn.Linear(hidden + 2 * hidden, VOCAB)

    def encode(self, src):
        enc, h = self.encoder(self.src_emb(src))
        h0 = torch.tanh(self.bridge(torch.cat([h[0], h[1]], -1))).unsqueeze(0)
        return enc, h0, src != PAD

    def decode_step(self, dec_in, h, enc, mask):
        dec, h = self.decoder(self.tgt_emb(dec_in), h)
        scores = torch.bmm(self.attn_q(dec), enc.transpose(1, 2)).masked_fill(~mask[:, None, :], -1e9)
        ctx = torch.bmm(scores.softmax(-1), enc)
        return self.out(torch.cat([dec, ctx], -1)), h

    def forward(self, src, tgt_in):
        enc, h, mask = self.encode(src)
        logits, _ = self.decode_step(tgt_in, h, enc, mask)
        return logits

    @torch.no_grad()
    def greedy(self, src, max_len=MAX_LEN + 1):
        enc, h, mask = self.encode(src)
        tok = torch.full((src.size(0), 1), SOS)
        outs = []
        for _ in range(max_len):
            logits, h = self.decode_step(tok, h, enc, mask)
            tok = logits.argmax(-1)
            outs.append(tok)
        return torch.cat(outs, 1)


model = Seq2Seq()
optim = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.CrossEntropyLoss(ignore_index=PAD)
EPOCHS, BS = 6, 64
sched = torch.optim.lr_scheduler.OneCycleLR(optim, max_lr=3e-3, total_steps=EPOCHS * ((3000 + BS - 1) // BS), pct_start=0.1)


def exact_match(src, tgt):
    model.eval()
    pred = model.greedy(src)
    gold = tgt[:, 1:]
    ok = ((pred == gold) | (gold == PAD)).all(1).float().mean().item()
    with torch.no_grad():
        vloss = loss_fn(model(src, tgt[:, :-1]).reshape(-1, VOCAB), tgt[:, 1:].reshape(-1)).item()
    model.train()
    return ok, vloss


t0 = time.time()
for epoch in range(EPOCHS):
    perm = torch.randperm(len(train_src))
    tot, nb = 0.0, 0
    for b in range(0, len(perm), BS):
        ix = perm[b:b + BS]
        src, tgt = train_src[ix], train_tgt[ix]
        logits = model(src, tgt[:, :-1])
        loss = loss_fn(logits.reshape(-1, VOCAB), tgt[:, 1:].reshape(-1))
        optim.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optim.step()
        sched.step()
        tot += loss.item()
        nb += 1
    acc, vloss = exact_match(test_src, test_tgt)
    print(f"epoch {epoch + 1}: train loss {tot / nb:.4f}  test loss {vloss:.4f}  exact-match {acc:.3f}  ({time.time() - t0:.1f}s)")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_exact_match": round(acc, 4), "train_loss": round(tot / nb, 4)}))
