# expect: saturated_activations
# allow: poor_initialization, overfitting, high_variance, non_convergence, vanishing_gradients, class_imbalance
# forbid: *
# evidence: N(0,1) init: 72% of tanh outputs have |a|>0.99 in all 3 layers (constant over training), val AUC 0.507, val BCE 1.50 (train 0.81), val acc 0.540 < majority 0.648. Control (Xavier-tanh): saturation 9%/3%/2%, val AUC 0.688, val BCE 0.604, acc 0.688
# control: --control
# Click-through-rate model: 12 categorical fields (hashed, embedding dim 4) + 8 dense features ->
# 3 tanh hidden layers of 64 -> click logit. Planted: the author initialised every Linear with
# nn.init.normal_(w, 0, 1) ("unit Gaussian weights"), so pre-activations have std ~8 and the tanh
# units sit at +/-1. --control: Xavier-uniform init with tanh gain (the same model otherwise).
import json, sys
import torch
import torch.nn as nn
import torch.nn.functional as F

CONTROL = "--control" in sys.argv
torch.manual_seed(2)
torch.set_num_threads(1)
FIELDS, CARD, DENSE, EMB, H = 12, 20, 8, 4, 64


def impressions(n, g):
    cats = torch.randint(0, CARD, (n, FIELDS), generator=g)
    dense = torch.randn(n, DENSE, generator=g)
    logit = -1.0 + FIELD_W[torch.arange(FIELDS), cats].sum(1) + dense[:, :3] @ torch.tensor([0.6, -0.4, 0.3]) \
        + 0.5 * torch.tanh(dense[:, 3] * dense[:, 4])
    return cats, dense, (torch.rand(n, generator=g) < torch.sigmoid(logit)).float()


FIELD_W = torch.randn(FIELDS, CARD) * 0.35
g = torch.Generator().manual_seed(0)
tr = impressions(10000, g)
va = impressions(2000, g)


class CTRNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(FIELDS * CARD, EMB)
        self.offsets = torch.arange(FIELDS) * CARD
        self.h1 = nn.Linear(FIELDS * EMB + DENSE, H)
        self.h2 = nn.Linear(H, H)
        self.h3 = nn.Linear(H, H)
        self.out = nn.Linear(H, 1)
        for lin in (self.h1, self.h2, self.h3, self.out):
            if CONTROL:
                nn.init.xavier_uniform_(lin.weight, gain=nn.init.calculate_gain("tanh"))
            else:
                nn.init.normal_(lin.weight, 0.0, 1.0)
            nn.init.zeros_(lin.bias)

    def forward(self, cats, dense):
        x = torch.cat([self.emb(cats + self.offsets).flatten(1), dense], 1)
        a1 = torch.tanh(self.h1(x))
        a2 = torch.tanh(self.h2(a1))
        a3 = torch.tanh(self.h3(a2))
        return self.out(a3).squeeze(1), (a1, a2, a3)


model = CTRNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
for epoch in range(6):
    perm = torch.randperm(len(tr[2]))
    for i in range(0, len(perm), 128):
        b = perm[i:i + 128]
        logit, _ = model(tr[0][b], tr[1][b])
        loss = F.binary_cross_entropy_with_logits(logit, tr[2][b])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        vlogit, acts = model(va[0], va[1])
        vloss = F.binary_cross_entropy_with_logits(vlogit, va[2]).item()
        vacc = ((vlogit > 0).float() == va[2]).float().mean().item()
        sat = [(a.abs() > 0.99).float().mean().item() for a in acts]
        tlogit, _ = model(tr[0], tr[1])
        tloss = F.binary_cross_entropy_with_logits(tlogit, tr[2]).item()
    print(f"epoch {epoch}: train {tloss:.4f} val {vloss:.4f} acc {vacc:.3f} | |tanh|>0.99: "
          + "/".join(f"{s:.2f}" for s in sat))

with torch.no_grad():
    p = torch.sigmoid(vlogit)
    order = p.argsort()
    y = va[2][order]
    n_pos, n_neg = y.sum(), (1 - y).sum()
    auc = ((torch.arange(1, len(y) + 1).float() * y).sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
base = va[2].mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4), "train_loss": round(tloss, 4),
                                      "val_auc": round(auc.item(), 4), "chance_acc": round(max(base, 1 - base), 4),
                                      "saturated_frac_h1_h2_h3": [round(s, 3) for s in sat]}))
