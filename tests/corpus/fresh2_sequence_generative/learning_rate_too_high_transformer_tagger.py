# expect: learning_rate_too_high
# allow: non_convergence, high_bias, exploding_gradients, non_finite, dead_units
# forbid: *
# evidence: planted (Adam lr=3e-2, no warm-up): val token acc 0.436, val_loss 1.392 (majority tag 0.323), loss flat ~1.4 from step 60 on; control (lr=1e-3): val token acc 0.940, val_loss 0.144
# control: --control
"""Per-token tagger: a 2-layer post-LN TransformerEncoder over variable-length token sequences,
padded with 0 and tags padded with -100 (cross_entropy ignore_index).  The tag of a token is a
fixed property of the token, except for a few ambiguous tokens whose tag changes after a
"determiner" token.  Adam with lr=3e-2 and no warm-up (someone copied the lr from an LSTM tagger
config); --control uses lr=1e-3.  Nothing else changes."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)

LR = 1e-3 if "--control" in sys.argv else 3e-2
VOCAB, N_TAGS, PAD, IGNORE = 40, 5, 0, -100
STEPS, BATCH = 240, 32

_g = torch.Generator().manual_seed(7)
BASE_TAG = torch.randint(0, 4, (VOCAB,), generator=_g)
AMBIGUOUS = torch.zeros(VOCAB, dtype=torch.bool)
AMBIGUOUS[1:12] = True
DETERMINER = torch.zeros(VOCAB, dtype=torch.bool)
DETERMINER[12:20] = True


def make_batch(n, gen):
    lengths = torch.randint(8, 25, (n,), generator=gen)
    T = int(lengths.max())
    tok = torch.randint(1, VOCAB, (n, T), generator=gen)
    prev = torch.cat([torch.zeros(n, 1, dtype=torch.long), tok[:, :-1]], 1)
    tags = BASE_TAG[tok].clone()
    tags[AMBIGUOUS[tok] & DETERMINER[prev]] = 4
    mask = torch.arange(T)[None] < lengths[:, None]
    tok[~mask] = PAD
    tags[~mask] = IGNORE
    return tok, tags, mask


class Tagger(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.pos = nn.Embedding(32, d)
        layer = nn.TransformerEncoderLayer(d, 4, 128, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.out = nn.Linear(d, N_TAGS)

    def forward(self, tok, mask):
        h = self.tok(tok) + self.pos(torch.arange(tok.shape[1]))[None]
        return self.out(self.encoder(h, src_key_padding_mask=~mask))


def token_metrics(model, tok, tags, mask):
    model.eval()
    with torch.no_grad():
        logits = model(tok, mask)
        loss = F.cross_entropy(logits.reshape(-1, N_TAGS), tags.reshape(-1), ignore_index=IGNORE).item()
        acc = ((logits.argmax(-1) == tags) & mask).sum().item() / mask.sum().item()
    model.train()
    return loss, acc


val = make_batch(400, torch.Generator().manual_seed(99))
gen = torch.Generator().manual_seed(1)
model = Tagger()
opt = torch.optim.Adam(model.parameters(), lr=LR)

for step in range(STEPS):
    tok, tags, mask = make_batch(BATCH, gen)
    logits = model(tok, mask)
    loss = F.cross_entropy(logits.reshape(-1, N_TAGS), tags.reshape(-1), ignore_index=IGNORE)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 30 == 0:
        vl, va = token_metrics(model, *val)
        print(f"[{step:03d}] loss={loss.item():.4f} val_loss={vl:.4f} val_tok_acc={va:.4f}")

vl, va = token_metrics(model, *val)
tl, ta = token_metrics(model, tok, tags, mask)
counts = torch.bincount(val[1][val[2]], minlength=N_TAGS).float()
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4),
    "majority_acc": round((counts.max() / counts.sum()).item(), 4)}))
