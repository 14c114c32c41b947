# expect:
# allow:
# forbid: *
# evidence: held-out per-slot accuracy 0.9992 and whole-sequence exact match 0.994 (chance 0.1 per slot); val_loss 0.023
"""Non-autoregressive digit sorter: nn.TransformerEncoder with norm_first=True layers maps 8
digits to their sorted order (one classification per output slot)."""
import json
import math

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(8)

N, D, STEPS, BS = 8, 64, 300, 48


def batch(bs, g=None):
    x = torch.randint(0, 10, (bs, N), generator=g)
    return x, x.sort(dim=1).values


class Sorter(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(10, D)
        self.pos = nn.Parameter(torch.randn(1, N, D) * 0.02)
        layer = nn.TransformerEncoderLayer(D, nhead=4, dim_feedforward=4 * D, dropout=0.0,
                                           activation="gelu", batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, num_layers=2, norm=nn.LayerNorm(D), enable_nested_tensor=False)
        self.head = nn.Linear(D, 10)

    def forward(self, x):
        return self.head(self.enc(self.tok(x) + self.pos))


model = Sorter()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
warm = 30
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (STEPS - warm))))
crit = nn.CrossEntropyLoss()
xv, yv = batch(1000, torch.Generator().manual_seed(99))

for step in range(STEPS):
    x, y = batch(BS)
    loss = crit(model(x).reshape(-1, 10), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if step % 60 == 0 or step == STEPS - 1:
        model.eval()
        with torch.no_grad():
            lv = model(xv)
            vloss = crit(lv.reshape(-1, 10), yv.reshape(-1)).item()
            tok_acc = (lv.argmax(-1) == yv).float().mean().item()
            seq_acc = (lv.argmax(-1) == yv).all(1).float().mean().item()
        model.train()
        print(f"step {step:3d} train_loss {loss.item():.4f} val_loss {vloss:.4f} tok_acc {tok_acc:.4f} seq_acc {seq_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(tok_acc, 4),
                                     "val_seq_exact": round(seq_acc, 4), "train_loss": round(loss.item(), 4),
                                     "chance_acc": 0.1}))
