"""3-class synthetic tabular task (make_classification, 16 features) trained with SGD at batch
size 4: the per-step loss logged every 5 steps is extremely noisy (single hard examples give
spikes > 1) while the epoch averages and val metrics improve steadily. Val is evaluated every 3
epochs only. The process was OOM-killed while writing the final 'summary' row, so the CSV ends
with a truncated line without a newline."""
# expect:
# allow:
# forbid: *
# evidence: healthy: val_acc 0.86 (chance 0.33; RBF-SVC 0.89, HistGradientBoosting 0.85 on the same split), val_loss 0.62 -> 0.50 -> 0.42 -> 0.37 still falling; logged batch losses range 0.03-1.35 because of batch 4
# native-log: steps.csv
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import make_classification

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
X, y = make_classification(n_samples=1400, n_features=16, n_informative=8, n_classes=3, n_clusters_per_class=2, class_sep=1.2, random_state=5)
X = (X - X.mean(0)) / X.std(0)
Xtr, Xva = torch.tensor(X[:800], dtype=torch.float32), torch.tensor(X[1000:], dtype=torch.float32)
ytr, yva = torch.tensor(y[:800]), torch.tensor(y[1000:])
model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5)
f = open(os.path.join(logdir, "steps.csv"), "w"); f.write("global_step,epoch,batch_loss,epoch_loss,val_loss,val_acc\n")
step = 0
for ep in range(12):
    model.train(); perm = torch.randperm(800); tot = n = 0
    for i in range(0, 800, 4):
        idx = perm[i:i + 4]
        loss = nn.functional.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1; tot += loss.item() * 4; n += 4
        if step % 5 == 0:
            f.write(f"{step},{ep},{loss.item():.5f},,,\n")
    if ep % 3 == 2:
        with torch.no_grad():
            o = model(Xva); vl = nn.functional.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        f.write(f"{step},{ep},,{tot/n:.5f},{vl:.5f},{va:.4f}\n")
    else:
        f.write(f"{step},{ep},,{tot/n:.5f},,\n")
f.write(f"{step},summary,,{tot/n:.4f},{vl:.5f}"[:-3])   # killed mid-write
f.close(); tl = tot / n
print(f"train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.333}))
