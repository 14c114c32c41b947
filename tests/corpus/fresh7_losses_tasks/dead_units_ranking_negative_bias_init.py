# expect: dead_units
# allow: non_convergence, poor_initialization, high_bias, vanishing_gradients
# forbid: *
# evidence: probe: with hidden biases -1.5, 100% of layer-2 ReLUs never fire on 2000 held-out items (layer 1: 1.6%), at init and after 15 epochs; margin loss stays exactly 1.000 (constant-scorer value), val pair acc 0.50 (chance); control (default bias init, 0% dead) val pair acc 0.857, val margin loss 0.341
# control: --control
"""Planted: dead ReLUs from a bad bias init in a pairwise learning-to-rank model (MarginRankingLoss).

Search-ranking style data: each query has candidate documents with 20 standardised features;
relevance is a nonlinear function of the features.  A scoring MLP 20-64-64-1 (ReLU) is trained on
pairs (a, b) with nn.MarginRankingLoss(margin=1) and target +1/-1 for which one is more relevant.
Planted: every hidden bias initialised to -1.5 ("to make the ReLUs sparse"), so almost no hidden
unit ever fires.  --control: PyTorch's default bias init; nothing else changes.
Metrics: held-out pairwise ranking accuracy (chance 0.5) and the margin loss (a constant scorer
gives exactly 1.0).  Probe: fraction of hidden ReLUs that never fire on 2000 held-out items.
"""
import argparse, json
import torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
D = 20
w1 = torch.randn(D); w2 = torch.randn(D, 3)

def relevance(x): return x @ w1 / 4 + (x @ w2).tanh().pow(2).sum(1) - 0.5 * x[:, 0] * x[:, 1]

def pairs(n, g):
    a = torch.randn(n, D, generator=g); b = torch.randn(n, D, generator=g)
    ra = relevance(a) + 0.3 * torch.randn(n, generator=g); rb = relevance(b) + 0.3 * torch.randn(n, generator=g)
    return a, b, torch.where(ra > rb, 1.0, -1.0)

g = torch.Generator().manual_seed(1)
atr, btr, ttr = pairs(8000, g); ava, bva, tva = pairs(2000, g)
scorer = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
if not args.control:
    with torch.no_grad():
        for l in (scorer[0], scorer[2]): l.bias.fill_(-1.5)  # planted
crit = nn.MarginRankingLoss(margin=1.0)
opt = torch.optim.Adam(scorer.parameters(), lr=1e-3)

def dead_frac(x):
    with torch.no_grad():
        h1 = scorer[1](scorer[0](x)); h2 = scorer[3](scorer[2](h1))
        return float((h1.max(0).values <= 0).float().mean()), float((h2.max(0).values <= 0).float().mean())

print("probe at init: fraction of never-firing ReLUs (layer1, layer2):", dead_frac(ava))
for ep in range(15):
    perm = torch.randperm(len(atr)); tot = 0.0; nb = 0
    for i in range(0, len(atr), 128):
        b = perm[i:i + 128]
        loss = crit(scorer(atr[b]).squeeze(1), scorer(btr[b]).squeeze(1), ttr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    with torch.no_grad():
        sa, sb = scorer(ava).squeeze(1), scorer(bva).squeeze(1); vl = float(crit(sa, sb, tva))
        d = torch.sign(sa - sb); acc = float(torch.where(d == 0, 0.5, (d == tva).float()).mean())
    print(f"epoch {ep+1} margin_loss {tot/nb:.4f} val_margin_loss {vl:.4f} val_pair_acc {acc:.3f} dead {dead_frac(ava)}")
with torch.no_grad(): tl = float(crit(scorer(atr).squeeze(1), scorer(btr).squeeze(1), ttr))
d1, d2 = dead_frac(ava)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tl, 4), "chance_acc": 0.5, "constant_scorer_loss": 1.0, "dead_frac_l1": round(d1, 3), "dead_frac_l2": round(d2, 3)}))
