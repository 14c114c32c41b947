# expect:
# forbid: *
# evidence: val exact match 1.000 from step 50 to 600 while train loss goes to 0.0019; val_loss 0.0019 tracks train_loss the whole time (chance token acc 0.0625)
# Non-autoregressive sequence reversal: a bidirectional nn.TransformerEncoder with learned position
# embeddings maps a 12-token string to its reverse in one pass (per-position softmax). The task is
# deterministic and the training data is a fixed set of 4000 strings, so the training loss goes
# to ~0 and the run keeps going for a fixed budget well after that; held-out exact match stays at
# its best. AdamW with weight decay groups, warm-up + cosine lr, grad clipping.
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(21)

L, K = 12, 16  # length, alphabet size
xtr = torch.randint(K, (4000, L))
xva = torch.randint(K, (500, L))
ytr, yva = xtr.flip(1), xva.flip(1)


class Reverser(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.tok = nn.Embedding(K, d)
        self.pos = nn.Embedding(L, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, 128, dropout=0.0, batch_first=True,
                                                                    norm_first=True), 2, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        self.out = nn.Linear(d, K)

    def forward(self, x):
        return self.out(self.norm(self.enc(self.tok(x) + self.pos(torch.arange(L)))))


model = Reverser()
decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "pos" not in n]
no_decay = [p for n, p in model.named_parameters() if p.dim() < 2 or "pos" in n]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=2e-3)
STEPS, WARM, BS = 600, 40, 64
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / WARM if s < WARM else 0.5 * (1 + math.cos(math.pi * (s - WARM) / (STEPS - WARM))))


def evaluate(x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, K), y.reshape(-1)).item()
        em = (logits.argmax(-1) == y).all(1).float().mean().item()
    model.train()
    return loss, em


for step in range(1, STEPS + 1):
    idx = torch.randint(len(xtr), (BS,))
    loss = F.cross_entropy(model(xtr[idx]).reshape(-1, K), ytr[idx].reshape(-1))
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if step % 50 == 0:
        vl, em = evaluate(xva, yva)
        print(f"step {step}: train loss {loss.item():.5f}, val loss {vl:.5f}, val exact match {em:.3f}")

vl, em = evaluate(xva, yva)
tl, tem = evaluate(xtr[:500], ytr[:500])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 6), "val_exact_match": em, "train_loss": round(tl, 6),
                                     "train_exact_match": tem, "chance_token_acc": 1 / K}))
