# expect:
# allow:
# forbid: *
# evidence: val micro-F1 0.82, macro-F1 0.80 (all-negative baseline F1 0; train micro-F1 0.86); val BCE 0.58 -> 0.288, levelling off at the last epochs
"""Healthy: multi-label document tagging with BCEWithLogitsLoss(pos_weight) on bag-of-words counts.

20 tags with frequencies 2%-40%; each document is a log1p-scaled bag of 300 words drawn from the
topics of its tags plus background words.  MLP 300-128-20, Adam lr=1e-3, weight decay, per-tag
pos_weight = sqrt(#neg/#pos) (a common softened weighting), 10 epochs.
Metric: held-out micro-F1 and macro-F1 at threshold 0.5; reference = predicting each tag's prior
(all-negative) gives F1 0.
"""
import json, math
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
T, VOC = 20, 300
freq = torch.linspace(0.02, 0.4, T)
topic = torch.softmax(torch.randn(T, VOC) * 2.0, 1)
bg = torch.softmax(torch.randn(VOC), 0)

def make(n, g):
    Y = (torch.rand(n, T, generator=g) < freq).float()
    mixw = Y / Y.sum(1, keepdim=True).clamp(min=1)
    dist = 0.5 * (mixw @ topic) + 0.5 * bg * (1 + 0 * Y[:, :1])
    L = torch.randint(40, 120, (n, 1), generator=g).float()
    counts = torch.poisson(dist * L, generator=g)
    return torch.log1p(counts), Y

g = torch.Generator().manual_seed(1)
xtr, ytr = make(6000, g); xva, yva = make(2000, g)
pos = ytr.sum(0); pw = torch.sqrt((len(ytr) - pos) / pos)
model = nn.Sequential(nn.Linear(VOC, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, T))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)

def f1s(logits, y):
    p = (logits > 0).float(); tp = (p * y).sum(0); fp = (p * (1 - y)).sum(0); fn = ((1 - p) * y).sum(0)
    micro = float(2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum()))
    macro = float((2 * tp / (2 * tp + fp + fn).clamp(min=1)).mean())
    return micro, macro

for ep in range(10):
    model.train(); perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
    for i in range(0, len(xtr), 64):
        b = perm[i:i + 64]
        loss = F.binary_cross_entropy_with_logits(model(xtr[b]), ytr[b], pos_weight=pw)
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    model.eval()
    with torch.no_grad():
        lv = model(xva); vl = float(F.binary_cross_entropy_with_logits(lv, yva, pos_weight=pw)); mi, ma = f1s(lv, yva)
    print(f"epoch {ep+1} loss {tot/nb:.4f} val_loss {vl:.4f} val_microF1 {mi:.3f} val_macroF1 {ma:.3f}")
with torch.no_grad(): lt = model(xtr); tl = float(F.binary_cross_entropy_with_logits(lt, ytr, pos_weight=pw)); tmi, _ = f1s(lt, ytr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_micro_f1": round(mi, 4), "val_macro_f1": round(ma, 4), "train_loss": round(tl, 4), "train_micro_f1": round(tmi, 4), "all_negative_f1": 0.0}))
