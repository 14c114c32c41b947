# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: nearest-prototype (Bayes) acc on val is 1.0; planted (3-unit tanh bottleneck): train_loss 6.20 -> 5.47, train_acc 0.020, val_acc 0.019 (chance 0.002, chance loss 6.21); control (width 128): train_acc 1.0, val_acc 1.0, val_loss 0.061
# control: --control
# native-log: bottleneck.csv
# log-expect:
# log-allow: high_bias, non_convergence
"""500 well-separated synthetic classes (nearest-prototype accuracy ~1.0), but the model squeezes the
24-d input through a 3-unit tanh hidden layer before the 500-way classifier: it cannot even fit its training
data. Control: hidden width 128 (the only change)."""
import os, sys, json, random, tempfile, csv, math
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
H = 128 if CONTROL else 3
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
K, D = 500, 24
g = torch.Generator().manual_seed(0)
protos = torch.randn(K, D, generator=g)
def sample(n):
    y = torch.arange(K).repeat_interleave(n); return protos[y] + 0.5 * torch.randn(len(y), D, generator=g), y
Xtr, ytr = sample(16); Xva, yva = sample(6)
with torch.no_grad(): bayes_acc = (torch.cdist(Xva, protos).argmin(1) == yva).float().mean().item()
model = nn.Sequential(nn.Linear(D, H), nn.Tanh(), nn.Linear(H, K))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
lossf = nn.CrossEntropyLoss()
f = open(os.path.join(LOG_DIR, "bottleneck.csv"), "w", newline=""); w = csv.writer(f); w.writerow(["epoch", "step", "train_loss", "val_loss", "train_acc", "val_acc"])
step = 0
for epoch in range(10):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 250):
        idx = perm[i:i + 250]; loss = lossf(model(Xtr[idx]), ytr[idx]); opt.zero_grad(); loss.backward(); opt.step(); step += 1
    with torch.no_grad():
        o = model(Xtr); trl = lossf(o, ytr).item(); tra = (o.argmax(1) == ytr).float().mean().item()
        o = model(Xva); vl = lossf(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    w.writerow([epoch, step, round(trl, 5), round(vl, 5), round(tra, 4), round(va, 4)]); f.flush()
    print(f"epoch {epoch:2d} train_loss {trl:.4f} train_acc {tra:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "train_acc": round(tra, 4),
                                    "bayes_acc_nearest_prototype": round(bayes_acc, 4), "chance_loss": round(math.log(K), 4), "chance_acc": 1 / K}))
