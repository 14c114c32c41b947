# expect:
# allow:
# forbid: *
# evidence: greedy-decoded val exact-match 1.000, token acc 1.000, val loss 0.0016 (chance token acc 0.10); train loss goes to ~0.004 while val loss keeps falling with it (infinite fresh data)
"""Seq2seq with attention (GRU encoder, GRU decoder with Luong dot-product attention) that learns
to sort a sequence of 7 digits.  Teacher forcing during training, greedy decoding for evaluation,
gradient clipping at 1.0, Adam with a step decay.  Logged to a dict of lists."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(11)

N_DIGITS, LEN, SOS = 10, 7, 10
HID = 64
STEPS, BATCH = 700, 64


def make_batch(n, gen):
    src = torch.randint(0, N_DIGITS, (n, LEN), generator=gen)
    tgt = src.sort(dim=1).values
    return src, tgt


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(N_DIGITS, 32)
        self.gru = nn.GRU(32, HID, batch_first=True)

    def forward(self, src):
        return self.gru(self.emb(src))


class AttnDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(N_DIGITS + 1, 32)
        self.cell = nn.GRUCell(32 + HID, HID)
        self.combine = nn.Linear(2 * HID, HID)
        self.out = nn.Linear(HID, N_DIGITS)

    def step(self, tok, h, ctx_prev, enc_out):
        h = self.cell(torch.cat([self.emb(tok), ctx_prev], dim=1), h)
        scores = torch.bmm(enc_out, h.unsqueeze(2)).squeeze(2)       # (B, LEN)
        attn = F.softmax(scores, dim=1)
        ctx = torch.bmm(attn.unsqueeze(1), enc_out).squeeze(1)       # (B, HID)
        logits = self.out(torch.tanh(self.combine(torch.cat([h, ctx], dim=1))))
        return logits, h, ctx


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = Encoder()
        self.dec = AttnDecoder()

    def forward(self, src, tgt=None):
        enc_out, h = self.enc(src)
        h = h.squeeze(0)
        ctx = torch.zeros_like(h)
        tok = torch.full((src.shape[0],), SOS, dtype=torch.long)
        outputs = []
        for t in range(LEN):
            logits, h, ctx = self.dec.step(tok, h, ctx, enc_out)
            outputs.append(logits)
            tok = tgt[:, t] if tgt is not None else logits.argmax(1)
        return torch.stack(outputs, dim=1)


gen = torch.Generator().manual_seed(2)
val_src, val_tgt = make_batch(1000, torch.Generator().manual_seed(1234))
model = Seq2Seq()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=300, gamma=0.3)

log = {"step": [], "loss": [], "val_loss": [], "val_tok_acc": [], "val_seq_acc": []}


def evaluate():
    model.eval()
    with torch.no_grad():
        tf_logits = model(val_src, val_tgt)
        vloss = F.cross_entropy(tf_logits.reshape(-1, N_DIGITS), val_tgt.reshape(-1)).item()
        pred = model(val_src).argmax(-1)
        tok = (pred == val_tgt).float().mean().item()
        seq = (pred == val_tgt).all(1).float().mean().item()
    model.train()
    return vloss, tok, seq


for step in range(1, STEPS + 1):
    src, tgt = make_batch(BATCH, gen)
    logits = model(src, tgt)
    loss = F.cross_entropy(logits.reshape(-1, N_DIGITS), tgt.reshape(-1))
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if step % 100 == 0:
        vloss, tok, seq = evaluate()
        for k, v in zip(log, (step, loss.item(), vloss, tok, seq)):
            log[k].append(v)
        print(f"{step:4d} loss {loss.item():.4f} | val loss {vloss:.4f} tok {tok:.3f} exact {seq:.3f}")

print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(log["val_loss"][-1], 4), "val_acc": round(log["val_tok_acc"][-1], 4),
    "val_exact_match": round(log["val_seq_acc"][-1], 4), "train_loss": round(log["loss"][-1], 4),
    "chance_acc": 0.1}))
