"""Wine classification, MLP with heavy dropout (p=0.5). Log hand-written in the layout of
Lightning's CSVLogger (lightning_logs/version_0/metrics.csv): per-step rows and per-epoch rows
mixed in one file, with empty cells, and metric names 'train/loss_step', 'train/loss_epoch',
'val/loss_epoch', 'val/acc_epoch'. Because of dropout, train loss stays ABOVE val loss."""
# expect:
# allow:
# forbid: *
# evidence: healthy: val_acc 1.00 on wine (majority 0.40), val_loss 0.005; train_loss_epoch (dropout on) 0.017 stays above val_loss
# native-log: lightning_logs/version_0/metrics.csv
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
d = os.path.join(logdir, "lightning_logs", "version_0"); os.makedirs(d, exist_ok=True)
X, y = load_wine(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr); Xtr, Xva = sc.transform(Xtr), sc.transform(Xva)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Linear(13, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 3))
opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-4)
cols = ["epoch", "step", "train/loss_step", "train/loss_epoch", "val/loss_epoch", "val/acc_epoch"]
rows = []
step = 0
for ep in range(40):
    model.train(); perm = torch.randperm(len(Xtr)); tot = n = 0
    for i in range(0, len(Xtr), 16):
        idx = perm[i:i + 16]
        loss = nn.functional.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx); n += len(idx)
        if step % 5 == 4:  # log_every_n_steps=5
            rows.append({"epoch": ep, "step": step, "train/loss_step": f"{loss.item():.6f}"})
        step += 1
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = nn.functional.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    rows.append({"epoch": ep, "step": step - 1, "val/loss_epoch": f"{vl:.6f}", "val/acc_epoch": f"{va:.6f}"})
    rows.append({"epoch": ep, "step": step - 1, "train/loss_epoch": f"{tot/n:.6f}"})
    tl = tot / n
with open(os.path.join(d, "metrics.csv"), "w") as f:
    f.write(",".join(cols) + "\n")
    for r in rows:
        f.write(",".join(str(r.get(c, "")) for c in cols) + "\n")
with open(os.path.join(d, "hparams.yaml"), "w") as f:
    f.write("lr: 0.002\ndropout: 0.5\nbatch_size: 16\n")
print(f"train_loss_epoch {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.4}))
