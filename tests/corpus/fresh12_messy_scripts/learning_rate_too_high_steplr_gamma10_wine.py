# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units
# forbid: *
# evidence: StepLR gamma=10 (meant 0.1): lr 1e-2 -> 1e-1 -> 1 -> 10; at lr 1e-2 val_loss 0.016 acc 1.00, at lr 1 train loss jumps to 33-420, at lr 10 oscillates 3.8-5.6, final val_loss 6.47, val_acc 0.333 (chance 0.40); control (gamma=0.1) val_loss 0.0165, val_acc 1.00
# control: --control
# native-log: wine_run/log.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite
import os, sys, csv, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
out_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "wine_run")
os.makedirs(out_dir, exist_ok=True)

cfg = dict(lr=1e-2, step=5, gamma=10, epochs=20, bs=16)   # gamma: "decay by 10 every 4 epochs"
if "--control" in sys.argv:
    cfg["gamma"] = 0.1

X, y = load_wine(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = sc.transform(Xtr), sc.transform(Xva)
Xtr = torch.tensor(Xtr, dtype=torch.float32, device=device); ytr = torch.tensor(ytr, device=device)
Xva = torch.tensor(Xva, dtype=torch.float32, device=device); yva = torch.tensor(yva, device=device)

model = nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 3)).to(device)
opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=cfg["step"], gamma=cfg["gamma"])
lossf = nn.CrossEntropyLoss()

f = open(os.path.join(out_dir, "log.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "lr", "train_loss", "val_loss", "val_acc"])
for ep in range(cfg["epochs"]):
    model.train()
    perm = torch.randperm(len(Xtr), device=device)
    run = []
    for i in range(0, len(Xtr), cfg["bs"]):
        b = perm[i:i + cfg["bs"]]
        loss = lossf(model(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        run.append(loss.item())
    lr_now = opt.param_groups[0]["lr"]
    sched.step()
    model.eval()
    with torch.no_grad():
        o = model(Xva)
        vl = lossf(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    tl = float(np.mean(run))
    w.writerow([ep, lr_now, tl, vl, va]); f.flush()
    print(f"[{ep:02d}] lr={lr_now:.0e} train={tl:.4g} val={vl:.4g} acc={va:.3f}")
f.close()
fin = lambda v: v if np.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_acc": va, "train_loss": fin(tl), "chance_acc": 0.40}))
