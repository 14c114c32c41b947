# expect:
# allow:
# forbid: *
# evidence: greedy decoding on 500 held-out strings: token acc 0.98, exact-sequence acc 0.93 (chance token acc 0.10); val_loss 0.14 while train loss (smoothed) sits at ~0.6
"""nn.Transformer encoder-decoder trained with teacher forcing to reverse variable-length digit
strings (padding masks, BOS/EOS, label smoothing 0.1, Adam with linear warm-up then the inverse-sqrt
decay of Attention Is All You Need). Evaluated by greedy autoregressive decoding on held-out
strings: exact-sequence match and per-token accuracy. With label smoothing the training loss
cannot go below ~0.5 even when the model is perfect.
"""
import json
import warnings
import math

import torch
from torch import nn
from torch.nn import functional as F

torch.set_num_threads(1)
warnings.filterwarnings("ignore")
torch.manual_seed(2)

PAD, BOS, EOS, NDIG = 0, 1, 2, 10
VOCAB, MAXLEN, D = NDIG + 3, 8, 64


def make(n, g):
    lens = torch.randint(5, MAXLEN + 1, (n,), generator=g)
    src = torch.full((n, MAXLEN + 1), PAD)
    tgt = torch.full((n, MAXLEN + 2), PAD)
    for i, L in enumerate(lens.tolist()):
        s = torch.randint(3, VOCAB, (L,), generator=g)
        src[i, :L], src[i, L] = s, EOS
        tgt[i, 0], tgt[i, 1:L + 1], tgt[i, L + 1] = BOS, s.flip(0), EOS
    return src, tgt


g = torch.Generator().manual_seed(2)
tr_src, tr_tgt = make(6000, g)
va_src, va_tgt = make(500, g)


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, D, padding_idx=PAD)
        self.pos = nn.Embedding(MAXLEN + 2, D)
        self.tf = nn.Transformer(D, nhead=4, num_encoder_layers=2, num_decoder_layers=1,
                                 dim_feedforward=128, dropout=0.0, batch_first=True)
        self.out = nn.Linear(D, VOCAB)

    def embed(self, x):
        return self.emb(x) * math.sqrt(D) + self.pos(torch.arange(x.size(1)))

    def forward(self, src, tgt_in):
        causal = self.tf.generate_square_subsequent_mask(tgt_in.size(1))
        h = self.tf(self.embed(src), self.embed(tgt_in), tgt_mask=causal,
                    src_key_padding_mask=src == PAD, tgt_key_padding_mask=tgt_in == PAD,
                    memory_key_padding_mask=src == PAD)
        return self.out(h)

    @torch.no_grad()
    def greedy(self, src, steps):
        ys = torch.full((src.size(0), 1), BOS)
        for _ in range(steps):
            nxt = self(src, ys)[:, -1].argmax(-1, keepdim=True)
            ys = torch.cat([ys, nxt], 1)
        return ys[:, 1:]


model = Seq2Seq()
opt = torch.optim.Adam(model.parameters(), lr=1.0, betas=(0.9, 0.98), eps=1e-9)
WARM = 60
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: 5e-3 * min((s + 1) / WARM, (WARM / (s + 1)) ** 0.5))

BATCH, STEPS = 64, 340
for step in range(STEPS):
    ix = torch.randint(0, len(tr_src), (BATCH,))
    src, tgt = tr_src[ix], tr_tgt[ix]
    logits = model(src, tgt[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, VOCAB), tgt[:, 1:].reshape(-1),
                           ignore_index=PAD, label_smoothing=0.1)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    if step % 50 == 0:
        print(f"step {step} loss {loss.item():.4f} lr {sched.get_last_lr()[0]:.2e}")

model.eval()
with torch.no_grad():
    pred = model.greedy(va_src, MAXLEN + 1)
    gold = va_tgt[:, 1:]
    mask = gold != PAD
    tok_acc = ((pred == gold) & mask).sum().item() / mask.sum().item()
    seq_acc = ((pred == gold) | ~mask).all(1).float().mean().item()
    vl = F.cross_entropy(model(va_src, va_tgt[:, :-1]).reshape(-1, VOCAB), gold.reshape(-1),
                         ignore_index=PAD).item()
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vl, 4), "val_token_acc": round(tok_acc, 4), "val_seq_acc": round(seq_acc, 4),
    "chance_token_acc": 0.1}))
