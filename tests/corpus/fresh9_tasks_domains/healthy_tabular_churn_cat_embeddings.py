# expect:
# allow:
# forbid: *
# evidence: val_acc 0.830 vs oracle (true-logit) 0.837 and majority 0.553; val BCE 0.38 flat over last 10 epochs, train 0.34
# Customer churn, tabular: 3 categorical columns (plan, region, device) -> nn.Embedding each,
# concatenated with 5 standardised numeric columns -> MLP with BatchNorm. Binary CE.
import json
import numpy as np
import torch
from torch import nn
from torch.utils.data import TensorDataset, DataLoader

rng = np.random.default_rng(2024)
torch.manual_seed(2024)
torch.set_num_threads(1)

CARD = {"plan": 6, "region": 25, "device": 4}


def generate(n):
    cats = {k: rng.integers(0, c, n) for k, c in CARD.items()}
    tenure = rng.exponential(24, n)              # months
    monthly = rng.normal(70, 25, n)              # dollars
    tickets = rng.poisson(1.5, n).astype(float)  # support tickets
    usage = rng.lognormal(3, 0.7, n)             # GB
    age = rng.normal(45, 14, n)
    plan_eff = np.linspace(-1, 1, CARD["plan"])[cats["plan"]]
    region_eff = REGION_EFF[cats["region"]]
    dev_eff = np.array([0.0, 0.4, -0.3, 0.8])[cats["device"]]
    z = (-0.04 * tenure + 0.02 * (monthly - 70) + 0.5 * tickets - 0.2 * np.log(usage)
         + plan_eff + region_eff + dev_eff + 0.3)
    y = (rng.random(n) < 1 / (1 + np.exp(-2 * z))).astype(np.float32)
    num = np.stack([tenure, monthly, tickets, usage, age], 1).astype(np.float32)
    cat = np.stack([cats[k] for k in CARD], 1).astype(np.int64)
    generate.last_bayes_acc = float(((z > 0) == (y > 0.5)).mean())
    return cat, num, y


REGION_EFF = rng.normal(0, 0.6, CARD["region"])
cat_tr, num_tr, y_tr = generate(5000)
cat_va, num_va, y_va = generate(1500)
bayes_acc = generate.last_bayes_acc
print(f"oracle (true logit) val acc {bayes_acc:.4f}")
mean, std = num_tr.mean(0), num_tr.std(0)
num_tr = (num_tr - mean) / std
num_va = (num_va - mean) / std


class ChurnNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.embs = nn.ModuleList([nn.Embedding(c, min(8, (c + 1) // 2)) for c in CARD.values()])
        d = sum(e.embedding_dim for e in self.embs) + 5
        self.mlp = nn.Sequential(nn.Linear(d, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.1),
                                 nn.Linear(64, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, cat, num):
        e = [emb(cat[:, j]) for j, emb in enumerate(self.embs)]
        return self.mlp(torch.cat(e + [num], 1)).squeeze(1)


train_dl = DataLoader(TensorDataset(torch.from_numpy(cat_tr), torch.from_numpy(num_tr), torch.from_numpy(y_tr)),
                      batch_size=128, shuffle=True)
Xc_va, Xn_va, Y_va = map(torch.from_numpy, (cat_va, num_va, y_va))
net = ChurnNet()
opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-5)
bce = nn.BCEWithLogitsLoss()

for epoch in range(20):
    net.train()
    total, count = 0.0, 0
    for c, x, y in train_dl:
        loss = bce(net(c, x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(y)
        count += len(y)
    net.eval()
    with torch.no_grad():
        logit = net(Xc_va, Xn_va)
        vloss = bce(logit, Y_va).item()
        vacc = ((logit > 0).float() == Y_va).float().mean().item()
    print(f"epoch {epoch + 1:2d}: train_loss {total / count:.4f}  val_loss {vloss:.4f}  val_acc {vacc:.4f}")

# Bayes-ish reference: logistic regression on the true generative features is ~the ceiling here
majority = max(y_va.mean(), 1 - y_va.mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                      "train_loss": round(total / count, 4), "chance_acc": round(float(majority), 4), "bayes_acc": round(bayes_acc, 4)}))
