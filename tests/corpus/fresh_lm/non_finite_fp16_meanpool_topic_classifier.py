# expect: non_finite
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (.half() + Adam): parameters NaN after step 1, val_loss NaN, val_acc 0.266 (chance 0.25); control (float32) val_loss 0.218, val_acc 0.934
# control: --control
# Topic classifier: token embeddings -> nn.TransformerEncoder -> masked mean pooling -> linear.
# Planted: to "save memory" the whole model is cast with .half() and trained with plain Adam
# (eps=1e-8 underflows to 0 in fp16, tiny squared grads underflow too) -> 0/0 and x/0 updates.
# --control keeps the model in float32; nothing else changes.
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()

torch.set_num_threads(1)
torch.manual_seed(2)
gen = torch.Generator().manual_seed(2)

N_TOPIC, N_CONTENT, N_FILLER, MAXLEN = 4, 48, 20, 24
PAD = 0
# each topic prefers its own 12 content words, but every content word can show up anywhere
topic_words = torch.zeros(N_TOPIC, N_CONTENT)
for t in range(N_TOPIC):
    topic_words[t] = 0.3
    topic_words[t, t * 12:(t + 1) * 12] = 3.0
V = 1 + N_FILLER + N_CONTENT


def make(n):
    y = torch.randint(N_TOPIC, (n,), generator=gen)
    lens = torch.randint(8, MAXLEN + 1, (n,), generator=gen)
    x = torch.zeros(n, MAXLEN, dtype=torch.long)
    for i in range(n):
        L = lens[i].item()
        is_content = torch.rand(L, generator=gen) < 0.35
        content = 1 + N_FILLER + torch.multinomial(topic_words[y[i]], L, replacement=True, generator=gen)
        filler = 1 + torch.randint(N_FILLER, (L,), generator=gen)
        x[i, :L] = torch.where(is_content, content, filler)
    return x, y


xtr, ytr = make(2000)
xva, yva = make(500)


class MeanPoolClassifier(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.emb = nn.Embedding(V, d, padding_idx=PAD)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, 128, dropout=0.1, batch_first=True),
                                         2, enable_nested_tensor=False)
        self.cls = nn.Linear(d, N_TOPIC)

    def forward(self, x):
        pad = x == PAD
        h = self.enc(self.emb(x), src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).to(h.dtype)
        return self.cls((h * keep).sum(1) / keep.sum(1))


model = MeanPoolClassifier()
if not args.control:
    model = model.half()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)


def evaluate(x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x).float()
        loss = F.cross_entropy(logits, y).item()
        acc = (logits.argmax(-1) == y).float().mean().item()
    model.train()
    return loss, acc


step = 0
for epoch in range(4):
    perm = torch.randperm(len(xtr), generator=gen)
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(xtr[idx]).float(), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 50 == 0:
            vl, va = evaluate(xva, yva)
            print(f"step {step}: train loss {loss.item():.4f}, val loss {vl:.4f}, val acc {va:.3f}")

vl, va = evaluate(xva, yva)
tl, _ = evaluate(xtr[:500], ytr[:500])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4) if vl == vl else None, "val_acc": round(va, 4),
                                     "train_loss": round(tl, 4) if tl == tl else None,
                                     "chance_acc": 1 / N_TOPIC}))
