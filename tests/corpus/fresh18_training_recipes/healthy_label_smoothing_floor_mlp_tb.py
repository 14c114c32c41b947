# expect:
# allow:
# forbid: *
# evidence: label smoothing 0.3: train loss flattens at 1.182 just above the smoothing entropy floor 1.177 (val smoothed loss 1.222) while val_acc 0.983 and plain val CE 0.42 (chance 0.10); the plateau is the floor, not non-convergence
# native-log: tb_label_smoothing
# log-expect:
# log-allow:
"""MLP on digits with label smoothing 0.3: the training cross-entropy cannot go
below the smoothing floor (~1.18 nats for 10 classes at 0.3) and flattens there, which
is expected, while validation accuracy is high. Logs to a TensorBoard event dir."""
import os, json, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(2); np.random.seed(2); random.seed(2)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
tb = SummaryWriter(os.path.join(log_dir, "tb_label_smoothing"))

X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
sc = StandardScaler().fit(Xtr); Xtr, Xva = sc.transform(Xtr), sc.transform(Xva)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
SMOOTH = 0.3
floor = -(1 - SMOOTH + SMOOTH / 10) * np.log(1 - SMOOTH + SMOOTH / 10) - 9 * (SMOOTH / 10) * np.log(SMOOTH / 10)
print(f"label-smoothing entropy floor {floor:.4f}")

model = nn.Sequential(nn.Linear(64, 256), nn.GELU(), nn.Dropout(0.1), nn.Linear(256, 128), nn.GELU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss(label_smoothing=SMOOTH)
EPOCHS = 60
for ep in range(EPOCHS):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = crit(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    tl = tot / len(Xtr)
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = crit(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        vce = F.cross_entropy(o, yva).item()
    tb.add_scalar("loss/train", tl, ep + 1); tb.add_scalar("loss/val", vl, ep + 1)
    tb.add_scalar("accuracy/val", va, ep + 1); tb.add_scalar("lr", opt.param_groups[0]["lr"], ep + 1)
    if (ep + 1) % 5 == 0:
        print(f"epoch {ep+1} train_loss(smoothed) {tl:.4f} val_loss(smoothed) {vl:.4f} val_ce {vce:.4f} val_acc {va:.4f}")
tb.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "val_plain_ce": round(vce, 4), "smoothing_floor": round(float(floor), 4), "chance_acc": 0.1}))
