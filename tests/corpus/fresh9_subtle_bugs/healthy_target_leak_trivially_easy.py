# expect:
# allow:
# forbid: *
# evidence: val_acc 0.991 (majority 0.511), val_loss 0.027, train_loss 0.027 after 15 epochs; the leak makes the task easy but the run itself is healthy
# Loan-default model where one input column, "days_in_collections", is only filled in AFTER a
# default happens (a target leak). Training itself is perfectly healthy -- the model quickly
# reaches ~100% validation accuracy -- the bug is in the data pipeline and would only show on
# future data. From the training run's point of view this is a clean, easy problem.
import json
import numpy as np
import torch
import torch.nn as nn

np.random.seed(12)
torch.manual_seed(12)
torch.set_num_threads(1)

n = 5000
cols = {
    "income": np.random.lognormal(10, 0.5, n),
    "loan_amount": np.random.lognormal(9, 0.7, n),
    "age": np.random.randint(21, 70, n).astype(float),
    "n_cards": np.random.poisson(2, n).astype(float),
}
risk = 0.9 * np.log(cols["loan_amount"]) - 0.8 * np.log(cols["income"]) - 0.02 * cols["age"] + 0.2 * cols["n_cards"]
default = (risk + np.random.normal(0, 0.6, n) > np.median(risk)).astype(np.int64)
cols["days_in_collections"] = np.where(default == 1, np.random.randint(15, 200, n), 0).astype(float)  # leak

X = np.column_stack([np.log(cols["income"]), np.log(cols["loan_amount"]), cols["age"], cols["n_cards"], cols["days_in_collections"]])
mu, sd = X[:4000].mean(0), X[:4000].std(0)
X = ((X - mu) / sd).astype(np.float32)
Xt, Xv = torch.from_numpy(X[:4000]), torch.from_numpy(X[4000:])
yt, yv = torch.from_numpy(default[:4000]), torch.from_numpy(default[4000:])


class Scorer(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)


m = Scorer()
opt = torch.optim.Adam(m.parameters(), lr=3e-3)
bce = nn.BCEWithLogitsLoss()
for ep in range(15):
    m.train()
    order = torch.randperm(4000); s = 0.0
    for i in range(0, 4000, 100):
        b = order[i:i + 100]
        loss = bce(m(Xt[b]), yt[b].float())
        opt.zero_grad(); loss.backward(); opt.step(); s += loss.item() / 40
    m.eval()
    with torch.no_grad():
        lv = m(Xv); vl = bce(lv, yv.float()).item(); va = ((lv > 0).long() == yv).float().mean().item()
    print(f"ep {ep} train_loss {s:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": s, "chance_acc": max(yv.float().mean().item(), 1 - yv.float().mean().item())}))
