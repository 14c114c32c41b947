# expect: non_finite
# allow: non_convergence
# forbid: *
# evidence: control (eps in std) reaches val_acc 0.912, val_loss 0.205, train_loss 0.152; planted trains normally to epoch 8 (val_acc 0.926, loss 0.18) then the first all-zero-flag batch gives NaN: loss nan from epoch 9 on, val_acc 0.285 (chance 0.20)
# control: --control
# native-log: stdout.log
# log-expect: non_finite
# log-allow: non_convergence
# Inputs are standardised per mini-batch inside the loop: (x - mean) / std. One column is a rare
# binary flag; the first batch in which it is all-zero has std 0 -> 0/0 = NaN inputs -> NaN loss,
# and after that step every weight is NaN. Control adds eps to the std. Printed log saved via tee.
import json, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

CONTROL = "--control" in sys.argv
EPS = 1e-6 if CONTROL else 0.0
torch.manual_seed(8); torch.set_num_threads(1)
logf = open(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "stdout.log"), "w")
def say(s):
    print(s); logf.write(s + "\n"); logf.flush()

K = 5
protos = torch.randn(K, 15)
def draw(n):
    y = torch.randint(0, K, (n,))
    x = protos[y] + torch.randn(n, 15)
    flag = (torch.rand(n) < 0.10).float()
    y = torch.where(flag.bool(), torch.zeros_like(y), y)   # flagged rows are always class 0
    return torch.cat([x, flag[:, None]], 1), y
xtr, ytr = draw(3000); xva, yva = draw(1000)

def standardize(x):
    return (x - x.mean(0)) / (x.std(0) + EPS)

net = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, K))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
EPOCHS = 20
for ep in range(1, EPOCHS + 1):
    net.train(); s = 0.0
    for b in torch.randperm(3000).split(64):
        loss = F.cross_entropy(net(standardize(xtr[b])), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); s += loss.item() * len(b)
    net.eval()
    with torch.no_grad():
        o = net(standardize(xva)); vl = F.cross_entropy(o, yva).item(); acc = (o.argmax(1) == yva).float().mean().item() * 100
    say(f"Epoch {ep}/{EPOCHS} | loss {s / 3000:.4f} | val loss {vl:.4f} | acc {acc:.1f}%")
tl = s / 3000
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": acc / 100, "train_loss": tl, "chance_acc": 0.2}))
