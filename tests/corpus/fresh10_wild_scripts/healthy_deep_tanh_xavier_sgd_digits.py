# Look-alike of a saturated/vanishing setup that is fine: a 6-hidden-layer tanh MLP on digits, but
# with Xavier (tanh gain) init, standardised inputs and SGD+momentum with a step decay. Plain print.
# expect:
# allow:
# forbid: *
# evidence: healthy look-alike of the saturated/vanishing cases (6 tanh layers, Xavier-tanh init, SGD): 0.8-3% of tanh outputs saturated, val_acc 0.967 (chance 0.10), val_loss 0.116 flat at the end, train_loss 0.002
import json
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(8)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=8, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-6
Xtr, Xva = torch.tensor((Xtr - mu) / sd, dtype=torch.float32), torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

layers, d = [], 64
for _ in range(6):
    lin = nn.Linear(d, 256)
    nn.init.xavier_uniform_(lin.weight, gain=nn.init.calculate_gain("tanh")); nn.init.zeros_(lin.bias)
    layers += [lin, nn.Tanh()]; d = 256
model = nn.Sequential(*layers, nn.Linear(d, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=1e-3)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[10, 16], gamma=0.2)
crit = nn.CrossEntropyLoss()
for epoch in range(20):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(perm), 32):
        b = perm[i:i + 32]
        loss = crit(model(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(b)
    sched.step()
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = crit(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch:2d} | train loss {tot/len(Xtr):.4f} | val loss {vl:.4f} | val acc {va:.4f}")
with torch.no_grad():
    tl = crit(model(Xtr), ytr).item()
    h, sat = Xva, []
    for m in model:
        h = m(h)
        if isinstance(m, nn.Tanh): sat.append(round((h.abs() > 0.99).float().mean().item(), 3))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1, "saturated_frac_per_layer": sat}))
