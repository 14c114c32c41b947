# expect:
# allow:
# forbid: *
# evidence: val_acc 0.771 vs Bayes accuracy 0.779 of the true churn probability (majority 0.53); spend val_mse 0.052 on a unit-variance target; val_bce flat at ~0.475 while train bce still falls slowly (0.443) - mild, normal gap
"""Customer table: 3 categorical columns (region x24, device x5, plan x4) through nn.Embedding,
7 numeric columns standardised with train statistics. Two heads on a shared trunk: churn
(binary, BCE) and next-month spend (regression, MSE on a standardised target); the two losses are
summed (regression weighted 0.5). NAdam + ExponentialLR, dropout, weight decay in the optimiser."""
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(3)
rng = np.random.default_rng(3)

CARD = {"region": 24, "device": 5, "plan": 4}
N_NUM = 7
region_eff = rng.normal(0, 0.8, CARD["region"])
device_eff = rng.normal(0, 0.6, CARD["device"])
plan_eff = np.array([-1.0, -0.2, 0.4, 1.1])
w_num = rng.normal(0, 0.7, N_NUM)
w_spend = rng.normal(0, 0.5, N_NUM)


def make_table(n, rng):
    cats = np.stack([rng.integers(0, c, n) for c in CARD.values()], 1)
    num = rng.normal(0, 1, (n, N_NUM)) * np.array([1, 3, 10, 0.5, 40, 2, 1]) + np.array([0, 5, 50, 1, 300, 0, -2])
    z = (num - np.array([0, 5, 50, 1, 300, 0, -2])) / np.array([1, 3, 10, 0.5, 40, 2, 1])
    logit = region_eff[cats[:, 0]] + device_eff[cats[:, 1]] + plan_eff[cats[:, 2]] + z @ w_num + 0.8 * z[:, 0] * z[:, 1]
    churn = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.float32)
    spend = 40 + 12 * plan_eff[cats[:, 2]] + 6 * (z @ w_spend) + 4 * np.tanh(z[:, 3] * z[:, 4]) + rng.normal(0, 3, n)
    make_table.bayes_acc = float(((logit > 0) == churn).mean())
    return (torch.from_numpy(cats).long(), torch.tensor(num, dtype=torch.float32),
            torch.from_numpy(churn), torch.tensor(spend, dtype=torch.float32))


tr = make_table(6000, rng)
va = make_table(2000, rng)
BAYES_ACC = make_table.bayes_acc  # accuracy of the true churn probability on the val rows
mu, sd = tr[1].mean(0), tr[1].std(0)
s_mu, s_sd = tr[3].mean(), tr[3].std()


def prep(t):
    cats, num, churn, spend = t
    return cats, (num - mu) / sd, churn, (spend - s_mu) / s_sd


tr, va = prep(tr), prep(va)


class TabNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.embs = nn.ModuleList([nn.Embedding(c, min(8, (c + 1) // 2)) for c in CARD.values()])
        d_in = sum(e.embedding_dim for e in self.embs) + N_NUM
        self.trunk = nn.Sequential(nn.Linear(d_in, 128), nn.ReLU(), nn.Dropout(0.1),
                                   nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.1))
        self.churn_head = nn.Linear(64, 1)
        self.spend_head = nn.Linear(64, 1)

    def forward(self, cats, num):
        h = torch.cat([e(cats[:, i]) for i, e in enumerate(self.embs)] + [num], 1)
        h = self.trunk(h)
        return self.churn_head(h).squeeze(1), self.spend_head(h).squeeze(1)


def train_one_epoch(model, opt, bs=128):
    model.train()
    cats, num, churn, spend = tr
    perm = torch.randperm(len(churn))
    agg = {"loss": 0.0, "bce": 0.0, "mse": 0.0}
    for i in range(0, len(perm), bs):
        idx = perm[i:i + bs]
        logit, pred = model(cats[idx], num[idx])
        bce = F.binary_cross_entropy_with_logits(logit, churn[idx])
        mse = F.mse_loss(pred, spend[idx])
        loss = bce + 0.5 * mse
        opt.zero_grad()
        loss.backward()
        opt.step()
        for k, v in (("loss", loss), ("bce", bce), ("mse", mse)):
            agg[k] += v.item() * len(idx)
    return {k: v / len(perm) for k, v in agg.items()}


@torch.no_grad()
def evaluate(model):
    model.eval()
    cats, num, churn, spend = va
    logit, pred = model(cats, num)
    return {"val_bce": F.binary_cross_entropy_with_logits(logit, churn).item(),
            "val_acc": ((logit > 0).float() == churn).float().mean().item(),
            "val_mse": F.mse_loss(pred, spend).item()}


model = TabNet()
opt = torch.optim.NAdam(model.parameters(), lr=3e-3, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
for epoch in range(15):
    t = train_one_epoch(model, opt)
    v = evaluate(model)
    sched.step()
    print(f"[{epoch:02d}] lr {sched.get_last_lr()[0]:.2e} loss {t['loss']:.4f} bce {t['bce']:.4f} mse {t['mse']:.4f} | "
          f"val_bce {v['val_bce']:.4f} val_acc {v['val_acc']:.3f} val_mse {v['val_mse']:.4f}")

cats, num, churn, spend = va
print("CORPUS_METRIC " + json.dumps({"val_loss": round(v["val_bce"] + 0.5 * v["val_mse"], 4), "val_acc": round(v["val_acc"], 4),
                                      "val_bce": round(v["val_bce"], 4), "val_mse": round(v["val_mse"], 4),
                                      "target_var": 1.0, "bayes_acc": round(BAYES_ACC, 4), "train_loss": round(t["loss"], 4),
                                      "chance_acc": round(max(churn.mean().item(), 1 - churn.mean().item()), 4)}))
