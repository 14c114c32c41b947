# expect:
# allow:
# forbid: *
# evidence: val_acc 0.798 (chance 0.2) after 12 epochs of two-lr fine-tuning, train_loss 0.31, val_loss 0.487 (still at its minimum)
# Transfer done right: pretrain, swap the head, THEN build the optimiser with two param
# groups (backbone at a small lr, new head at a larger one).
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)
torch.set_num_threads(1)

def backbone():
    return nn.Sequential(nn.Linear(32, 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, 64), nn.ReLU())

M = torch.randn(32, 8) / 4
def sample(n, head, g):
    x = torch.randn(n, 32, generator=g)
    logits = torch.tanh(x @ M) @ head
    return x, logits.argmax(1)

g = torch.Generator().manual_seed(11)
xs, ys = sample(5000, torch.randn(8, 12, generator=g), g)
head_t = torch.randn(8, 5, generator=g)
xt, yt = sample(1200, head_t, g)
xv, yv = sample(1000, head_t, g)

net = nn.Sequential()
net.add_module("features", backbone())
net.add_module("classifier", nn.Linear(64, 12))
opt = torch.optim.Adam(net.parameters(), 2e-3)
for epoch in range(8):
    for i in range(0, len(xs), 100):
        opt.zero_grad()
        F.cross_entropy(net(xs[i:i+100]), ys[i:i+100]).backward()
        opt.step()

net.classifier = nn.Linear(64, 5)          # new task head
opt = torch.optim.AdamW([
    {"params": net.features.parameters(), "lr": 5e-4},
    {"params": net.classifier.parameters(), "lr": 2e-3},
], weight_decay=1e-2)

history = []
for epoch in range(12):
    net.train()
    perm = torch.randperm(len(xt)); s = 0.0; k = 0
    for i in range(0, len(xt), 32):
        b = perm[i:i+32]
        loss = F.cross_entropy(net(xt[b]), yt[b])
        opt.zero_grad(); loss.backward(); opt.step()
        s += loss.item(); k += 1
    net.eval()
    with torch.no_grad():
        o = net(xv)
        rec = dict(epoch=epoch, train_loss=s / k, val_loss=F.cross_entropy(o, yv).item(), val_acc=(o.argmax(1) == yv).float().mean().item())
    history.append(rec)
    print(rec)

last = history[-1]
print("CORPUS_METRIC " + json.dumps({"val_loss": last["val_loss"], "val_acc": last["val_acc"], "train_loss": last["train_loss"], "chance_acc": 0.2}))
