"""Transfer learning: an MLP is pre-trained on digits 0-4, then the whole network (new 5-way
head) is fine-tuned on digits 5-9 with a smaller lr (Adam 5e-4, half the pre-training lr) -- standard
fine-tuning practice; the updates are small relative to the pre-trained weights but progress is
fast. TensorBoard scalars use Lightning-style suffixed tags ('train/loss_step',
'train/loss_epoch', 'val/loss_epoch', 'val/acc_epoch', plus Lightning's default 'hp_metric' = -1
and an 'epoch' scalar); the pre-training phase is in a sibling run dir 'pretrain'."""
# expect:
# allow:
# forbid: *
# evidence: healthy: fine-tuned val_acc 0.981 on digits 5-9 (chance 0.20), val_loss 0.085, train_loss 0.069 after 10 epochs at lr 5e-4
# native-log: tb
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
X, y = load_digits(return_X_y=True); X = (X / 16.0 - 0.3) / 0.4
def split(mask, off):
    a, b, c, d = train_test_split(X[mask], y[mask] - off, test_size=0.3, random_state=0, stratify=y[mask])
    return torch.tensor(a, dtype=torch.float32), torch.tensor(b, dtype=torch.float32), torch.tensor(c), torch.tensor(d)
A = split(y < 5, 0); B = split(y >= 5, 5)
body = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
def fit(model, data, lr, epochs, w, tagged):
    Xtr, Xva, ytr, yva = data
    opt = torch.optim.Adam(model.parameters(), lr=lr); step = 0
    if tagged: w.add_scalar("hp_metric", -1, 0)
    for ep in range(epochs):
        model.train(); perm = torch.randperm(len(Xtr)); tot = n = 0
        for i in range(0, len(Xtr), 16):
            idx = perm[i:i + 16]
            loss = nn.functional.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx); n += len(idx)
            if step % 10 == 9: w.add_scalar("train/loss_step" if tagged else "loss", loss.item(), step)
            step += 1
        model.eval()
        with torch.no_grad():
            o = model(Xva); vl = nn.functional.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        if tagged:
            w.add_scalar("epoch", ep, step - 1); w.add_scalar("train/loss_epoch", tot / n, step - 1)
            w.add_scalar("val/loss_epoch", vl, step - 1); w.add_scalar("val/acc_epoch", va, step - 1)
        else:
            w.add_scalar("val_loss", vl, step - 1)
    return tot / n, vl, va
w = SummaryWriter(os.path.join(logdir, "tb", "pretrain"))
fit(nn.Sequential(body, nn.Linear(64, 5)), A, 1e-3, 8, w, False); w.close()
w = SummaryWriter(os.path.join(logdir, "tb", "finetune", "version_0"))
tl, vl, va = fit(nn.Sequential(body, nn.Linear(64, 5)), B, 5e-4, 10, w, True); w.close()
print(f"finetune train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.2}))
