# expect:
# forbid: *
# evidence: val_acc 1.0 (chance 0.1); smoothed train/val loss 0.510/0.510 sits just above the analytic floor 0.500 (plain val CE ~0.10)
"""10-class teacher task with CrossEntropyLoss(label_smoothing=0.1).
With smoothing the loss has a floor (~0.5 nats for 10 classes), so the training loss plateaus
well above zero although the classifier is essentially perfect."""
import json
import math
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)
K, D = 10, 16
centers = torch.randn(K, D) * 1.2


def sample(n):
    y = torch.randint(0, K, (n,))
    return centers[y] + 0.35 * torch.randn(n, D), y


x_tr, y_tr = sample(3000)
x_va, y_va = sample(1000)

net = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, K))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss(label_smoothing=0.1)
plain_ce = nn.CrossEntropyLoss()

eps = 0.1
p_true, p_other = 1 - eps + eps / K, eps / K
floor = -(p_true * math.log(p_true) + (K - 1) * p_other * math.log(p_other))
print(f"label-smoothing loss floor = {floor:.4f}")

for epoch in range(30):
    net.train()
    perm = torch.randperm(len(x_tr))
    s = 0.0
    for i in range(0, len(x_tr), 100):
        b = perm[i:i + 100]
        loss = crit(net(x_tr[b]), y_tr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        s += loss.item()
    train_loss = s / 30
    net.eval()
    with torch.no_grad():
        out = net(x_va)
        val_loss = crit(out, y_va).item()
        val_ce = plain_ce(out, y_va).item()
        val_acc = (out.argmax(1) == y_va).float().mean().item()
    print(f"epoch {epoch + 1:2d} train_loss {train_loss:.4f} val_loss {val_loss:.4f} (plain CE {val_ce:.4f}) val_acc {val_acc:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4), "train_loss": round(train_loss, 4),
                                      "loss_floor": round(floor, 4), "chance_acc": 0.1}))
