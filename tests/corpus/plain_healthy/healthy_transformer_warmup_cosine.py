# expect:
# forbid: *
# evidence: val_acc 1.0 (chance 0.5), val_loss 0.0017 = train_loss 0.0017 after warm-up + cosine to lr 0
# Tiny Transformer encoder: does token 3 occur more often than token 4 in the sequence?
# AdamW with linear warm-up (30 steps) then cosine decay to 0 (LambdaLR).
import json
import math
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)

VOCAB, SEQ = 10, 16


def make(n, g):
    x = torch.randint(0, VOCAB, (3 * n, SEQ), generator=g)
    c3, c4 = (x == 3).sum(1), (x == 4).sum(1)
    keep = c3 != c4
    return x[keep][:n], (c3 > c4)[keep][:n].long()


g = torch.Generator().manual_seed(5)
x_train, y_train = make(4000, g)
x_val, y_val = make(1000, g)


class TinyTransformer(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, d)
        self.pos = nn.Parameter(torch.randn(1, SEQ, d) * 0.02)
        layer = nn.TransformerEncoderLayer(d, nhead=4, dim_feedforward=64, dropout=0.0, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.head = nn.Linear(d, 2)

    def forward(self, tokens):
        h = self.enc(self.emb(tokens) + self.pos)
        return self.head(h.mean(1))


model = TinyTransformer()
TOTAL, WARMUP, BS = 300, 30, 64
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)


def lr_lambda(step):
    if step < WARMUP:
        return (step + 1) / WARMUP
    progress = (step - WARMUP) / (TOTAL - WARMUP)
    return 0.5 * (1 + math.cos(math.pi * progress))


sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)
crit = nn.CrossEntropyLoss()


def validate():
    model.eval()
    with torch.no_grad():
        logits = model(x_val)
        out = crit(logits, y_val).item(), (logits.argmax(-1) == y_val).float().mean().item()
    model.train()
    return out


step = 0
while step < TOTAL:
    perm = torch.randperm(len(x_train))
    for i in range(0, len(perm) - BS + 1, BS):
        idx = perm[i:i + BS]
        loss = crit(model(x_train[idx]), y_train[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        step += 1
        if step % 50 == 0:
            vl, va = validate()
            print(f"step {step:5d} lr {sched.get_last_lr()[0]:.2e} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f}")
        if step >= TOTAL:
            break

vl, va = validate()
with torch.no_grad():
    model.eval()
    tl = crit(model(x_train), y_train).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.5}))
