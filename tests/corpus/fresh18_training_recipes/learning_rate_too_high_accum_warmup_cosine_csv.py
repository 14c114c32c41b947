# expect: learning_rate_too_high
# allow: exploding_gradients, non_convergence, non_finite, dead_units
# forbid: *
# evidence: planted (peak AdamW lr 0.3): batch losses up to 14.2 in epoch 2, val_loss 10.6 after epoch 1, stuck near chance afterwards, final val_acc 0.156; control (peak 2e-3): val_acc 0.972, val_loss 0.116
# control: --control
# native-log: steps.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, exploding_gradients
"""PLANTED learning_rate_too_high: MLP on digits with gradient accumulation (4 micro-batches of 16),
linear warm-up then cosine decay, AdamW -- but the peak lr is 0.3 (copied from an SGD recipe)
instead of 2e-3. --control sets the peak lr to 2e-3 (the only change). Per-step CSV log."""
import os, sys, csv, json, math, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(8); np.random.seed(8); random.seed(8)
PEAK = 2e-3 if "--control" in sys.argv else 0.3
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=8, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.AdamW(model.parameters(), lr=PEAK, weight_decay=0.01)
EPOCHS, MICRO, ACC, WARM = 20, 16, 4, 20
steps_per_epoch = math.ceil(len(Xtr) / (MICRO * ACC)); total = EPOCHS * steps_per_epoch
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / WARM if s < WARM else 0.5 * (1 + math.cos(math.pi * (s - WARM) / (total - WARM))))
f = open(os.path.join(log_dir, "steps.csv"), "w", newline=""); w = csv.writer(f)
w.writerow(["step", "epoch", "lr", "train_loss", "val_loss", "val_acc"])
step = 0
for ep in range(EPOCHS):
    model.train(); perm = torch.randperm(len(Xtr)); eloss = []
    for i in range(0, len(Xtr), MICRO * ACC):
        chunk = perm[i:i + MICRO * ACC]; opt.zero_grad(); acc_loss = 0.0
        for j in range(0, len(chunk), MICRO):
            idx = chunk[j:j + MICRO]
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx]) * len(idx) / len(chunk)
            loss.backward(); acc_loss += loss.item()
        opt.step(); lr = opt.param_groups[0]["lr"]; sched.step(); step += 1; eloss.append(acc_loss)
        row = [step, ep + 1, f"{lr:.6f}", f"{acc_loss:.4f}", "", ""]
        if step % steps_per_epoch == 0 or i + MICRO * ACC >= len(Xtr):
            model.eval()
            with torch.no_grad():
                o = model(Xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
            model.train(); row[4:] = [f"{vl:.4f}", f"{va:.4f}"]
        w.writerow(row)
    print(f"epoch {ep+1} lr {lr:.5f} train_loss mean {np.mean(eloss):.4f} (min {np.min(eloss):.3f} max {np.max(eloss):.3f}) val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(float(np.mean(eloss)), 4), "peak_lr": PEAK, "chance_acc": 0.1}))
