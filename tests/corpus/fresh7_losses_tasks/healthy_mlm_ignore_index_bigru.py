# expect:
# allow:
# forbid: *
# evidence: held-out masked-token acc 0.852 (majority word 0.066), masked CE 0.478 vs unigram entropy 3.41 (a 60/30/10 successor grammar allows ~0.85-0.9); train 0.485, val 0.478, no gap
"""Healthy: masked language modelling with a small bidirectional-GRU encoder, labels ignore_index=-100.

Synthetic "language": sentences from a sparse first-order Markov grammar (3 successors per word) over 40 word types,
length 12-24, padded to 24 with a PAD id.  BERT-style masking of 15% of real tokens (80% [MASK],
10% random, 10% kept); labels are -100 everywhere else (and on padding), and
F.cross_entropy(ignore_index=-100) averages over the masked tokens only.  1-layer BiGRU encoder, d=64,
AdamW lr=3e-3 with 100 warm-up steps and linear decay, 12 epochs, batch 32.  Metrics: held-out masked-token
accuracy and loss; reference: predicting the unigram distribution (loss = unigram entropy).
"""
import json, math
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
V, L, PAD, MASK = 40, 24, 40, 41
NV = V + 2
trans = torch.zeros(V, V)
gg = torch.Generator().manual_seed(5)
for a in range(V):
    nxt = torch.randperm(V, generator=gg)[:3]; trans[a, nxt] = torch.tensor([0.6, 0.3, 0.1])

def make(n, g):
    X = torch.full((n, L), PAD, dtype=torch.long)
    for i in range(n):
        ln = int(torch.randint(12, L + 1, (1,), generator=g)); s = torch.randint(0, V, (1,), generator=g).tolist()
        while len(s) < ln: s.append(int(torch.multinomial(trans[s[-1]], 1, generator=g)))
        X[i, :ln] = torch.tensor(s)
    return X

def mask(X, g):
    real = X != PAD; sel = (torch.rand(X.shape, generator=g) < 0.15) & real
    labels = torch.where(sel, X, torch.full_like(X, -100))
    r = torch.rand(X.shape, generator=g); inp = X.clone()
    inp[sel & (r < 0.8)] = MASK; rnd = sel & (r >= 0.8) & (r < 0.9); inp[rnd] = torch.randint(0, V, (int(rnd.sum()),), generator=g)
    return inp, labels

g = torch.Generator().manual_seed(1)
Xtr = make(1500, g); Xva = make(400, g)
va_in, va_lab = mask(Xva, torch.Generator().manual_seed(9))

class MLM(nn.Module):
    def __init__(s, d=64):
        super().__init__(); s.emb = nn.Embedding(NV, d)
        s.enc = nn.GRU(d, d, batch_first=True, bidirectional=True); s.drop = nn.Dropout(0.1)
        s.out = nn.Sequential(nn.Linear(2 * d, d), nn.GELU(), nn.Linear(d, V))
    def forward(s, x): return s.out(s.drop(s.enc(s.emb(x))[0]))

m = MLM(); EPOCHS, B = 12, 32; spe = math.ceil(len(Xtr) / B); total = EPOCHS * spe
opt = torch.optim.AdamW(m.parameters(), lr=3e-3, weight_decay=0.01)
sch = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / 100, max(0.0, (total - s) / (total - 100))))
uni = torch.bincount(Xtr[Xtr != PAD], minlength=V).float(); uni /= uni.sum(); uni_loss = float(-(uni * uni.log()).sum())
for ep in range(EPOCHS):
    m.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(spe):
        inp, lab = mask(Xtr[perm[i * B:(i + 1) * B]], g)
        loss = F.cross_entropy(m(inp).reshape(-1, V), lab.reshape(-1), ignore_index=-100)
        opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(m.parameters(), 1.0); opt.step(); sch.step(); tot += loss.item()
    m.eval()
    with torch.no_grad():
        lo = m(va_in); vl = float(F.cross_entropy(lo.reshape(-1, V), va_lab.reshape(-1), ignore_index=-100))
        sel = va_lab != -100; acc = float((lo.argmax(-1)[sel] == va_lab[sel]).float().mean())
    print(f"epoch {ep+1} mlm_loss {tot/spe:.4f} val_mlm_loss {vl:.4f} val_masked_acc {acc:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tot / spe, 4), "unigram_loss": round(uni_loss, 4), "chance_acc": round(float(uni.max()), 4)}))
