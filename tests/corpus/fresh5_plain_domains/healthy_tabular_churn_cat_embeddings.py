# expect:
# allow:
# forbid: *
# evidence: val_acc 0.857 (majority 0.63), val_loss 0.347 ~ train 0.348 (best checkpoint restored by early stopping)
"""Churn prediction on a synthetic telecom table: categorical columns through nn.Embedding,
numeric columns standardised with train statistics, a small MLP with dropout. Custom
Dataset + DataLoader, Adam with weight decay, MultiStepLR, and early stopping that restores
the best checkpoint."""
import copy
import json
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

torch.manual_seed(16)
torch.set_num_threads(1)
CARD = {"plan": 5, "region": 12, "device": 4}
REGION_EFF = torch.linspace(-1, 1, 12)[torch.randperm(12)]


def make_table(n, g):
    plan = torch.randint(0, 5, (n,), generator=g)
    region = torch.randint(0, 12, (n,), generator=g)
    device = torch.randint(0, 4, (n,), generator=g)
    tenure = torch.rand(n, generator=g) * 72
    charge = 20 + 100 * torch.rand(n, generator=g)
    calls = torch.poisson(torch.full((n,), 2.0), generator=g)
    gb = torch.rand(n, generator=g) * 300
    plan_eff = torch.tensor([0.8, 0.2, -0.3, -0.6, 0.4])
    logit = (plan_eff[plan] + REGION_EFF[region] - 0.05 * tenure + 0.03 * (charge - 70)
             + 0.6 * (calls - 2) - 0.8 * (device == 2).float() + 0.004 * gb * (plan == 0).float() + 1.0)
    y = (torch.rand(n, generator=g) < torch.sigmoid(1.5 * logit)).float()
    cats = torch.stack([plan, region, device], 1)
    nums = torch.stack([tenure, charge, calls, gb], 1)
    return cats, nums, y


class ChurnTable(Dataset):
    def __init__(self, cats, nums, y, mean, std):
        self.cats, self.nums, self.y = cats, (nums - mean) / std, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.cats[i], self.nums[i], self.y[i]


class ChurnNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.embs = nn.ModuleList([nn.Embedding(c, min(8, (c + 1) // 2 + 1)) for c in CARD.values()])
        d = sum(e.embedding_dim for e in self.embs) + 4
        self.mlp = nn.Sequential(nn.Linear(d, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, cats, nums):
        e = [emb(cats[:, k]) for k, emb in enumerate(self.embs)]
        return self.mlp(torch.cat(e + [nums], 1)).squeeze(1)


g = torch.Generator().manual_seed(0)
c_tr, n_tr, y_tr = make_table(6000, g)
c_va, n_va, y_va = make_table(2000, g)
mean, std = n_tr.mean(0), n_tr.std(0)
train_dl = DataLoader(ChurnTable(c_tr, n_tr, y_tr, mean, std), batch_size=128, shuffle=True)
val_ds = ChurnTable(c_va, n_va, y_va, mean, std)

model = ChurnNet()
opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-5)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[8, 14], gamma=0.3)
bce = nn.BCEWithLogitsLoss()
best, best_state, patience = 1e9, None, 0

for epoch in range(20):
    model.train()
    s, n = 0.0, 0
    for c, x, y in train_dl:
        loss = bce(model(c, x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        s += loss.item() * len(y)
        n += len(y)
    sched.step()
    model.eval()
    with torch.no_grad():
        logits = model(val_ds.cats, val_ds.nums)
        vl = bce(logits, val_ds.y).item()
        va = ((logits > 0).float() == val_ds.y).float().mean().item()
    print(f"epoch {epoch+1:2d} train_loss {s/n:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    if vl < best - 1e-4:
        best, best_state, patience = vl, copy.deepcopy(model.state_dict()), 0
    else:
        patience += 1
        if patience == 4:
            print("early stop")
            break

model.load_state_dict(best_state)
model.eval()
with torch.no_grad():
    logits = model(val_ds.cats, val_ds.nums)
    vl = bce(logits, val_ds.y).item()
    va = ((logits > 0).float() == val_ds.y).float().mean().item()
    tl = bce(model(c_tr, (n_tr - mean) / std), y_tr).item()
maj = max(y_va.mean().item(), 1 - y_va.mean().item())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(maj, 4)}))
