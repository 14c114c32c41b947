# expect:
# forbid: *
# evidence: 21% positives; val_acc 0.989 vs majority rate 0.788; recall_neg 0.987, recall_pos 0.994; val_loss 0.042 ~ train 0.030
"""Naturally imbalanced binary task (about 80% negatives / 20% positives), handled with a class-weighted loss.
The model learns both classes well: per-class recall on the held-out set is reported."""
import json
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)
g = torch.Generator().manual_seed(31)


def draw(n):
    # negatives: one broad cluster; positives: two small clusters on its flanks (so the rule is non-linear)
    y = (torch.rand(n, generator=g) < 0.2).long()
    x = torch.randn(n, 8, generator=g)
    side = torch.where(torch.rand(n, generator=g) < 0.5, -1.0, 1.0)
    x[:, 0] = torch.where(y == 1, side * (3.0 + 0.5 * torch.randn(n, generator=g)), 0.8 * torch.randn(n, generator=g))
    x[:, 1] = torch.where(y == 1, 0.7 * x[:, 1] + 1.0, x[:, 1])
    return x, y


x_tr, y_tr = draw(3000)
x_va, y_va = draw(1500)
pos_frac = y_tr.float().mean().item()
print(f"positive fraction: train {pos_frac:.3f} val {y_va.float().mean().item():.3f}")

weights = torch.tensor([1.0, (1 - pos_frac) / pos_frac]) / 2  # inverse-frequency class weights
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 2))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
crit = nn.CrossEntropyLoss(weight=weights)
eval_crit = nn.CrossEntropyLoss()


def recalls(pred, y):
    return [((pred == c) & (y == c)).sum().item() / max((y == c).sum().item(), 1) for c in (0, 1)]


for epoch in range(20):
    model.train()
    perm = torch.randperm(len(x_tr))
    tot = 0.0
    for i in range(0, len(perm), 64):
        b = perm[i:i + 64]
        loss = crit(model(x_tr[b]), y_tr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        out = model(x_va)
        pred = out.argmax(1)
        vl = eval_crit(out, y_va).item()
        va = (pred == y_va).float().mean().item()
        r0, r1 = recalls(pred, y_va)
    print(f"epoch {epoch + 1:2d} train_loss {tot / len(x_tr):.4f} val_loss {vl:.4f} val_acc {va:.4f} recall_neg {r0:.3f} recall_pos {r1:.3f}")

majority = max(1 - y_va.float().mean().item(), y_va.float().mean().item())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(x_tr), 4),
                                      "recall_neg": round(r0, 4), "recall_pos": round(r1, 4), "chance_acc": round(majority, 3)}))
