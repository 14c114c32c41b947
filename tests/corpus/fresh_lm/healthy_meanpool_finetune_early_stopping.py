# expect:
# forbid: *
# evidence: val_acc 0.904 (chance 0.5) at best val_loss 0.286; early stopping fires at epoch 14 after val loss rises to ~0.30 for 3 epochs, best checkpoint restored; train labels 10% noisy
# Two-stage run, the way a small research repo does "pretrain then fine-tune":
#  1) a mean-pooled nn.TransformerEncoder is trained on a 6-way topic task with plenty of data;
#  2) its classifier head is replaced and the whole network is fine-tuned on a small (160 examples,
#     10% flipped labels) binary task at a small lr (1e-4) with tiny batches of 4, early stopping
#     on val loss (patience 3) and the best checkpoint restored at the end.
import copy
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(13)
g = torch.Generator().manual_seed(13)

N_TOPIC, N_CONTENT, N_FILL, MAXLEN = 6, 60, 16, 20
V = 1 + N_FILL + N_CONTENT
prefs = torch.full((N_TOPIC, N_CONTENT), 0.2)
for t in range(N_TOPIC):
    prefs[t, t * 10:(t + 1) * 10] = 3.0


def make(n):
    topic = torch.randint(N_TOPIC, (n,), generator=g)
    x = torch.zeros(n, MAXLEN, dtype=torch.long)
    for i in range(n):
        L = int(torch.randint(6, MAXLEN + 1, (1,), generator=g))
        content = 1 + N_FILL + torch.multinomial(prefs[topic[i]], L, replacement=True, generator=g)
        filler = 1 + torch.randint(N_FILL, (L,), generator=g)
        x[i, :L] = torch.where(torch.rand(L, generator=g) < 0.4, content, filler)
    return x, topic


class Encoder(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.emb = nn.Embedding(V, d, padding_idx=0)
        self.pos = nn.Parameter(0.02 * torch.randn(MAXLEN, d))
        self.body = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, 128, 0.1, batch_first=True),
                                          2, enable_nested_tensor=False)

    def forward(self, x):
        pad = x == 0
        h = self.body(self.emb(x) + self.pos, src_key_padding_mask=pad)
        w = (~pad).float().unsqueeze(-1)
        return (h * w).sum(1) / w.sum(1)


def run_eval(enc, head, x, y):
    enc.eval()
    with torch.no_grad():
        lo = head(enc(x))
    enc.train()
    return F.cross_entropy(lo, y).item(), (lo.argmax(-1) == y).float().mean().item()


# ---------------- stage 1: topic pretraining
enc, head = Encoder(), nn.Linear(64, N_TOPIC)
xp, yp = make(2400)
opt = torch.optim.Adam(list(enc.parameters()) + list(head.parameters()), lr=1e-3)
for ep in range(2):
    perm = torch.randperm(len(xp), generator=g)
    for i in range(0, len(xp), 32):
        b = perm[i:i + 32]
        loss = F.cross_entropy(head(enc(xp[b])), yp[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"pretrain epoch {ep}: loss {loss.item():.4f}")

# ---------------- stage 2: fine-tune on a small noisy binary task
def binary(topic):  # "is it one of the first three topics"
    return (topic < 3).long()


xf, tf = make(160)
yf = binary(tf)
flip = torch.rand(len(yf), generator=g) < 0.10
yf = torch.where(flip, 1 - yf, yf)
xv, tv = make(500)
yv = binary(tv)

head = nn.Linear(64, 2)
opt = torch.optim.AdamW(list(enc.parameters()) + list(head.parameters()), lr=1e-4, weight_decay=0.01)
best, best_state, bad, step = float("inf"), None, 0, 0
for ep in range(25):
    perm = torch.randperm(len(xf), generator=g)
    for i in range(0, len(xf), 4):
        b = perm[i:i + 4]
        loss = F.cross_entropy(head(enc(xf[b])), yf[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
    vl, va = run_eval(enc, head, xv, yv)
    tl, _ = run_eval(enc, head, xf, yf)
    print(f"step {step}: train loss {tl:.4f}, val loss {vl:.4f}, val acc {va:.3f}")
    if vl < best - 1e-4:
        best, bad = vl, 0
        best_state = (copy.deepcopy(enc.state_dict()), copy.deepcopy(head.state_dict()))
    else:
        bad += 1
        if bad >= 3:
            print(f"early stopping at epoch {ep}")
            break

enc.load_state_dict(best_state[0])
head.load_state_dict(best_state[1])
vl, va = run_eval(enc, head, xv, yv)
tl, ta = run_eval(enc, head, xf, yf)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc_noisy_labels": round(ta, 4), "chance_acc": 0.5}))
