# expect:
# allow:
# forbid: *
# evidence: healthy; batch size 1: per-step loss std 0.37 around mean 0.13 with spikes to 4.2 in the last epoch, yet val_loss 0.407 -> 0.205 and val_acc 0.91 (chance 0.25)
# native-log: batch1_steps.csv
# log-expect:
# log-allow:
"""Batch size 1 SGD on a small 4-class problem: the per-step loss is extremely noisy (jumps between ~0
and several nats at every step) but the run is healthy; per-step losses are logged."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
g = torch.Generator().manual_seed(0)
K, D = 4, 6
C = 1.6 * torch.randn(K, D, generator=g)
def sample(n):
    y = torch.randint(0, K, (n,), generator=g); return C[y] + torch.randn(n, D, generator=g), y
Xtr, ytr = sample(300); Xva, yva = sample(300)
model = nn.Sequential(nn.Linear(D, 32), nn.ReLU(), nn.Linear(32, K))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
lossf = nn.CrossEntropyLoss()
f = open(os.path.join(LOG_DIR, "batch1_steps.csv"), "w", newline=""); w = csv.writer(f); w.writerow(["step", "epoch", "loss", "val_loss", "val_acc"])
step = 0
for epoch in range(12):
    perm = torch.randperm(300); losses = []
    for i in perm.tolist():
        loss = lossf(model(Xtr[i:i + 1]), ytr[i:i + 1])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1; losses.append(loss.item())
        if step % 300 == 0:
            with torch.no_grad():
                o = model(Xva); vl = lossf(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
            w.writerow([step, epoch, round(loss.item(), 5), round(vl, 5), round(va, 4)])
        else:
            w.writerow([step, epoch, round(loss.item(), 5), "", ""])
    L = np.array(losses)
    print(f"epoch {epoch:2d} step-loss mean {L.mean():.3f} std {L.std():.3f} max {L.max():.2f} | val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
with torch.no_grad():
    o = model(Xtr); trl = lossf(o, ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "chance_acc": 0.25}))
