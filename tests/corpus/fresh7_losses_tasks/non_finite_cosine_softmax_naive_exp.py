# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: planted: loss non-finite from step 2 (weights NaN after the first updates), val acc 0.041 (chance 0.033); control (max-shifted log-sum-exp, same formula) val acc 0.982, val loss 0.074, train acc 1.0
# control: --control
"""Planted: a hand-written normalised-softmax (cosine classifier, scale s=100) loss that overflows.

Speaker-embedding style classification: 30 identities, 48-d utterance features, an MLP embedder
and a cosine classifier (L2-normalised embeddings and class weights, logits = s * cos, s = 100).
The loss is written by hand with exp/log and no nn loss class:
    loss = -log( exp(z_y) / sum_j exp(z_j) )
Planted: computed literally, so exp(s*cos) overflows float32 (exp(88.7) = inf) as soon as the
embeddings align with their class weights (cos > 0.89), giving inf/inf = NaN.  --control: the same
formula with the max-shift (log-sum-exp trick); nothing else changes.
Metric: held-out accuracy (chance 1/30).
"""
import argparse, json, math
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
C, D, S = 30, 48, 100.0
centers = torch.randn(C, D)

def make(n, g):
    y = torch.randint(0, C, (n,), generator=g)
    return centers[y] + 1.2 * torch.randn(n, D, generator=g), y

g = torch.Generator().manual_seed(1)
xtr, ytr = make(6000, g); xva, yva = make(1500, g)
emb = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 64))
W = nn.Parameter(torch.randn(C, 64) * 0.1)
opt = torch.optim.SGD(list(emb.parameters()) + [W], lr=0.05, momentum=0.9)

def logits(x): return S * F.normalize(emb(x), dim=1) @ F.normalize(W, dim=1).t()

def my_loss(z, y):
    if args.control:
        m = z.max(1, keepdim=True).values.detach()
        lse = m.squeeze(1) + torch.log(torch.exp(z - m).sum(1))
        return (lse - z.gather(1, y[:, None]).squeeze(1)).mean()
    p = torch.exp(z) / torch.exp(z).sum(1, keepdim=True)
    return -torch.log(p.gather(1, y[:, None]).squeeze(1)).mean()

first_bad = None; step = 0
for ep in range(10):
    perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
    for i in range(0, len(xtr), 100):
        b = perm[i:i + 100]; z = logits(xtr[b]); loss = my_loss(z, ytr[b])
        if first_bad is None and not torch.isfinite(loss):
            first_bad = step; print(f"probe: first non-finite loss at step {step}, max logit {float(z.detach().max()):.1f}")
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1; step += 1
    with torch.no_grad():
        zv = logits(xva); vl = float(my_loss(zv, yva)); acc = float((zv.argmax(1) == yva).float().mean())
    print(f"epoch {ep+1} train_loss {tot/nb:.4f} val_loss {vl:.4f} val_acc {acc:.4f}")
with torch.no_grad(): tacc = float((logits(xtr).argmax(1) == ytr).float().mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4) if math.isfinite(vl) else None, "val_acc": round(acc, 4), "train_loss": round(tot / nb, 4) if math.isfinite(tot / nb) else None, "train_acc": round(tacc, 4), "chance_acc": round(1 / C, 4)}))
