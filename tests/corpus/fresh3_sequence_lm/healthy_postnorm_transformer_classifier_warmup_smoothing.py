# expect:
# allow:
# forbid: *
# evidence: val_acc 1.00 (majority 0.35), val_loss 0.069 (unsmoothed), train_acc 1.00; smoothed train loss plateaus ~0.30
"""Original-Transformer (post-LN, nn.TransformerEncoderLayer default norm_first=False) sequence
classifier, trained the way post-LN needs: linear warm-up over 50 steps to 1e-3, then linear
decay, AdamW with a strong weight decay (0.1), label smoothing 0.1 and dropout 0.1, mean pooling
over non-pad tokens. Task: variable-length symbol sequences; the class is which of 3 symbols
occurs most often (needs counting over the whole sequence). Label smoothing keeps the training
loss around 0.3-0.4 even when the classifier is essentially perfect.
"""
import json

import torch
from torch import nn
from torch.nn import functional as F

torch.set_num_threads(1)
torch.manual_seed(20)
g = torch.Generator().manual_seed(20)
V, TMAX, NCLS, PAD = 10, 24, 3, 0   # symbols 1..3 are the counted ones, 4..9 filler


def make(n):
    X = torch.full((n, TMAX), PAD)
    Y = torch.empty(n, dtype=torch.long)
    for i in range(n):
        L = int(torch.randint(10, TMAX + 1, (1,), generator=g))
        while True:
            s = torch.randint(1, V, (L,), generator=g)
            c = torch.stack([(s == k).sum() for k in (1, 2, 3)])
            if (c == c.max()).sum() == 1:
                break
        X[i, :L], Y[i] = s, int(c.argmax())
    return X, Y


xtr, ytr = make(3000)
xva, yva = make(800)


class PostLNClassifier(nn.Module):
    def __init__(self, D=64):
        super().__init__()
        self.emb = nn.Embedding(V, D, padding_idx=PAD)
        self.pos = nn.Embedding(TMAX, D)
        layer = nn.TransformerEncoderLayer(D, 4, 128, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(D, NCLS)

    def forward(self, x):
        pad = x == PAD
        h = self.enc(self.emb(x) + self.pos(torch.arange(x.size(1))), src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).float()
        return self.head((h * keep).sum(1) / keep.sum(1))


model = PostLNClassifier()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
STEPS, WARM = 260, 50
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / WARM, (STEPS - s) / (STEPS - WARM)))
for step in range(STEPS):
    ix = torch.randint(0, len(xtr), (64,), generator=g)
    loss = F.cross_entropy(model(xtr[ix]), ytr[ix], label_smoothing=0.1)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    if step % 50 == 0:
        print(f"step {step} loss {loss.item():.4f} lr {sched.get_last_lr()[0]:.2e}")

model.eval()
with torch.no_grad():
    lv, lt = model(xva), model(xtr[:800])
print("CORPUS_METRIC " + json.dumps({
    "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4), "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
    "train_loss": round(F.cross_entropy(lt, ytr[:800]).item(), 4),
    "train_acc": round((lt.argmax(1) == ytr[:800]).float().mean().item(), 4),
    "majority_acc": round(torch.bincount(yva).max().item() / len(yva), 4)}))
