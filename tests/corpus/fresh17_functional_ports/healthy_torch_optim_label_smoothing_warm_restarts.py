"""Contrast case written the ordinary PyTorch way (nn.Module + torch.optim.AdamW +
CosineAnnealingWarmRestarts) by the same team, with label_smoothing=0.1 (so the train loss floors
around 0.5 and never approaches 0) and lr restarts every 3 epochs (loss bumps at each restart).
Metrics printed clu-style and written to a CSV (lr column shows the restarts)."""
# expect:
# allow:
# forbid: *
# evidence: eval_accuracy 0.978 on 450 held-out digits (chance 0.10), eval_loss 0.60; smoothed train loss floors at ~0.52-0.55 (label_smoothing 0.1 keeps CE above ~0.5 for 10 classes); lr restarts to 3e-3 every 3 epochs
# native-log: history.csv
# log-expect:
# log-allow:
import os, csv, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_digits(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=11, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0); sd[sd < 1e-3] = 1.0
Xtr, Xte = torch.tensor((Xtr - mu) / sd, dtype=torch.float32), torch.tensor((Xte - mu) / sd, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)

model = nn.Sequential(nn.Linear(64, 128), nn.LayerNorm(128), nn.GELU(), nn.Dropout(0.1), nn.Linear(128, 10))
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.05)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3 * 43)
crit = nn.CrossEntropyLoss(label_smoothing=0.1)
dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=32, shuffle=True,
                                 generator=torch.Generator().manual_seed(0))
fh = open(os.path.join(LOG_DIR, "history.csv"), "w", newline=""); cw = csv.writer(fh)
cw.writerow(["step", "epoch", "train_loss", "eval_loss", "eval_accuracy", "lr"])
step = 0
for epoch in range(9):
    model.train()
    for xb, yb in dl:
        loss = crit(model(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step(); sched.step(); step += 1
        if step % 20 == 0: cw.writerow([step, epoch, loss.item(), "", "", opt.param_groups[0]["lr"]])
    model.eval()
    with torch.no_grad():
        lo = model(Xte); el = crit(lo, yte).item(); ea = (lo.argmax(1) == yte).float().mean().item()
    cw.writerow([step, epoch, loss.item(), el, ea, opt.param_groups[0]["lr"]])
    print(f"[epoch {epoch}] step={step} train_loss={loss.item():.4f} eval_loss={el:.4f} eval_accuracy={ea:.4f} lr={opt.param_groups[0]['lr']:.2e}")
fh.close()
with torch.no_grad(): tl = crit(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(el, 4), "val_acc": round(ea, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
