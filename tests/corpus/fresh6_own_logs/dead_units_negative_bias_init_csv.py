# expect: dead_units
# allow: poor_initialization, high_bias, non_convergence, vanishing_gradients
# forbid: *
# evidence: planted bias -2.0: at the end 78% of layer-1 and 100% of layer-2 ReLUs are zero for every val input; loss creeps 1.79 -> 1.71 (ln 6 = 1.79), val_acc 0.28 (chance 0.17); control default init: 0% dead, val_acc 0.90, val_loss 0.31
# control: --control
# native-log: log.csv
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_low
"""ReLU MLP whose hidden biases were initialised to -2.0 ("sparse activations" idea copied from a blog). With
standardised inputs most hidden units never fire, get no gradient and stay dead. Control: default bias init.
Log: CSV epoch,trn_loss,val_loss,val_acc. Probe: fraction of hidden ReLUs that are zero for every val input."""
import csv, json, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
CONTROL = "--control" in sys.argv

g = torch.Generator().manual_seed(61)
teacher = nn.Sequential(nn.Linear(20, 40), nn.Tanh(), nn.Linear(40, 6))
def make(n):
    x = torch.randn(n, 20, generator=g)
    with torch.no_grad():
        y = teacher(x).argmax(1)
    return x, y
xtr, ytr = make(4000)
xva, yva = make(1000)

model = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 6))
if not CONTROL:
    for m in (model[0], model[2]):
        nn.init.constant_(m.bias, -2.0)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

def dead_fraction():
    with torch.no_grad():
        h1 = F.relu(model[0](xva)); h2 = F.relu(model[2](h1))
        return [((h == 0).all(0)).float().mean().item() for h in (h1, h2)]

f = open(os.path.join(LOG_DIR, "log.csv"), "w", newline="")
w = csv.writer(f)
w.writerow(["epoch", "trn_loss", "val_loss", "val_acc"])
for epoch in range(15):
    model.train()
    perm = torch.randperm(len(xtr))
    tl = 0.0
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    w.writerow([epoch, round(tl / len(xtr), 5), round(vl, 5), round(va, 4)])
    f.flush()
    print(f"epoch {epoch} trn_loss {tl / len(xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
d1, d2 = dead_fraction()
print(f"probe: dead ReLU fraction layer1 {d1:.2f} layer2 {d2:.2f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / len(xtr), 4), "dead_frac_l1": round(d1, 3), "dead_frac_l2": round(d2, 3), "chance_acc": 0.1667}))
