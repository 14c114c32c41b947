# expect:
# allow:
# forbid: *
# evidence: 3-block ReLU MLP on load_digits trained from scratch with layer-wise lr decay (head 2e-3, x0.5 per block going down: 1e-3, 5e-4, 2.5e-4), AdamW, Dropout(0.5) after every block: the train loss (dropout on) stays above the val loss (dropout off) the whole run, train_loss 0.181 / train_acc 0.940 vs val_loss 0.116 / val_acc 0.967 at the end (chance 0.10)
# native-log: tb
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
writer = SummaryWriter(os.path.join(log_dir, "tb"))
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=22, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1.0
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

blocks = nn.ModuleList([nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.Dropout(0.5)) for a, b in [(64, 256), (256, 256), (256, 128)]])
head = nn.Linear(128, 10)
model = nn.Sequential(*blocks, head)
groups = [{"params": head.parameters(), "lr": 2e-3}]
for depth, blk in enumerate(reversed(blocks), start=1):
    groups.append({"params": blk.parameters(), "lr": 2e-3 * 0.5 ** depth})
opt = torch.optim.AdamW(groups, weight_decay=1e-2)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=32, shuffle=True)
step = 0
for ep in range(12):
    model.train(); tot = 0.0; correct = 0
    for xb, yb in loader:
        opt.zero_grad(set_to_none=True)
        out = model(xb)
        loss = F.cross_entropy(out, yb)
        loss.backward(); opt.step()
        tot += loss.item() * len(xb); correct += (out.argmax(1) == yb).sum().item(); step += 1
        writer.add_scalar("loss/train_step", loss.item(), step)
    model.eval()
    with torch.no_grad():
        out = model(Xva)
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item(); tl = tot / len(Xtr); ta = correct / len(Xtr)
    writer.add_scalar("loss/train", tl, ep); writer.add_scalar("loss/val", vl, ep)
    writer.add_scalar("acc/train", ta, ep); writer.add_scalar("acc/val", va, ep)
    for i, g in enumerate(opt.param_groups):
        writer.add_scalar(f"lr/group{i}", g["lr"], ep)
    print(f"epoch {ep} train_loss {tl:.4f} train_acc {ta:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "chance_acc": 0.1}))
