"""MLP on digits trained with label smoothing 0.2 and a cosine schedule: the train loss floors
around 0.9 (smoothed-target entropy 0.87) and never approaches 0, and val loss floors similarly -- that is the smoothed target's
entropy, not a plateau. The native log is a W&B 'Export CSV' of the run's panel: quoted cells,
'Step', '<run> - train/loss', '<run> - train/loss__MIN', '<run> - train/loss__MAX', then
'<run> - val/loss' and '<run> - val/acc' (empty except on epoch ends) and a 'Relative Time
(Process)' column."""
# expect:
# allow:
# forbid: *
# evidence: healthy: val_acc 0.993 (chance 0.10); train CE with smoothing 0.2 ends at 0.899, just above the smoothed-target entropy floor 0.867, val CE 0.930 -- a floor, not a plateau
# native-log: wandb_export_2026-01-20T16_42_08.csv
# log-expect:
# log-allow:
import os, json, random, tempfile, time, math
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
RUN = "silver-moon-33"
X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=2, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Linear(64, 128), nn.GELU(), nn.Linear(128, 128), nn.GELU(), nn.Linear(128, 10))
EP = 20; nb = (len(Xtr) + 31) // 32
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=EP * nb, pct_start=0.1)
crit = nn.CrossEntropyLoss(label_smoothing=0.2)
rows = []; step = 0; buf = []; t0 = time.time()
for ep in range(EP):
    model.train(); perm = torch.randperm(len(Xtr)); tot = n = 0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = crit(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step(); step += 1
        tot += loss.item() * len(idx); n += len(idx); buf.append(loss.item())
        if step % 6 == 0:
            rows.append([step, time.time() - t0, np.mean(buf), min(buf), max(buf), "", ""]); buf = []
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = crit(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    rows.append([step, time.time() - t0, "", "", "", vl, va])
tl = tot / n
hdr = ["Step", "Relative Time (Process)", f"{RUN} - train/loss", f"{RUN} - train/loss__MIN", f"{RUN} - train/loss__MAX", f"{RUN} - val/loss", f"{RUN} - val/acc"]
with open(os.path.join(logdir, "wandb_export_2026-01-20T16_42_08.csv"), "w") as f:
    f.write(",".join(f'"{h}"' for h in hdr) + "\n")
    for r in rows:
        f.write(",".join(f'"{v}"' if isinstance(v, (int, str)) else f'"{v:.6g}"' for v in r) + "\n")
floor = -(0.82 * math.log(0.82) + 9 * 0.02 * math.log(0.02))
print(f"train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f} smoothing floor {floor:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1, "label_smoothing_floor": round(floor, 3)}))
