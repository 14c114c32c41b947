# expect: poor_initialization
# allow: high_bias, non_convergence, dead_units, vanishing_gradients
# forbid: *
# evidence: planted constant 0.05 init: layer-1 rows stay identical (spread 0.0), loss 1.35 after 15 epochs, train/val acc 0.39/0.38 (chance 0.2); control default init: val_acc 0.81, val_loss 0.49
# control: --control
# native-log: log.jsonl
# log-expect:
# log-allow: high_bias, non_convergence, learning_rate_too_low
"""MLP whose Linear layers were all initialised with nn.init.constant_(w, 0.05) (a "deterministic init" helper).
Every hidden unit in a layer computes the same function and gets the same gradient, so the symmetry never
breaks: the 128-wide network behaves like a 1-unit-wide one. Control: default (random) init.
Log: JSON lines {"epoch", "loss", "val_loss", "accuracy", "val_accuracy"}. Probe: spread of layer-1 rows."""
import json, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
CONTROL = "--control" in sys.argv

g = torch.Generator().manual_seed(101)
centers = 0.8 * torch.randn(15, 10, generator=g)  # 5 classes x 3 clusters
def make(n):
    c = torch.randint(0, 15, (n,), generator=g)
    return centers[c] + 0.7 * torch.randn(n, 10, generator=g), c % 5
xtr, ytr = make(3000)
xva, yva = make(800)

model = nn.Sequential(nn.Linear(10, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 5))
if not CONTROL:
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.weight, 0.05); nn.init.constant_(m.bias, 0.0)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
log = open(os.path.join(LOG_DIR, "log.jsonl"), "w")
for epoch in range(15):
    model.train()
    perm = torch.randperm(len(xtr))
    tl, tc = 0.0, 0
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        out = model(xtr[idx])
        loss = F.cross_entropy(out, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx); tc += (out.argmax(1) == ytr[idx]).sum().item()
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    rec = {"epoch": epoch, "loss": round(tl / len(xtr), 5), "val_loss": round(vl, 5), "accuracy": round(tc / len(xtr), 4), "val_accuracy": round(va, 4)}
    log.write(json.dumps(rec) + "\n"); log.flush()
    print(rec)
log.close()
spread = model[0].weight.std(0).max().item()
print(f"probe: max over inputs of the std across the 128 layer-1 rows = {spread:.2e} (0 means all hidden units identical)")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / len(xtr), 4), "layer1_row_spread": spread, "chance_acc": 0.2}))
