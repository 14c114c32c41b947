# expect:
# allow:
# forbid: *
# evidence: healthy (slow but correct fine-tune): body lr 1e-4 / head lr 1e-3; train loss 1.95 -> 0.150 and val_loss 1.57 -> 0.205 decreasing steadily over 25 ep, val_acc 0.26 -> 0.937 on 269 held-out digits 5-9 (chance 0.20)
# native-log: finetune_log.csv
# log-expect:
# log-allow:
# HW8 transfer learning: (a) pretrain an MLP on digits 0-4, (b) reuse the body for digits 5-9 with a new head.
# Fine-tuning uses a small lr for the pretrained body (1e-4) and 1e-3 for the new head, so it is slowish.
import os, json, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(31)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

X, y = load_digits(return_X_y=True)
X = ((X / 16.0) - 0.3) / 0.4
X = X.astype(np.float32)

# ---------- (a) pretraining on 0-4 ----------
src = y < 5
Xs, ys = torch.tensor(X[src]), torch.tensor(y[src])
body = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
head_src = nn.Linear(64, 5)
pre_model = nn.Sequential(body, head_src)
opt = torch.optim.Adam(pre_model.parameters(), lr=1e-3)
for ep in range(8):
    perm = torch.randperm(len(Xs))
    for i in range(0, len(perm), 32):
        b = perm[i:i + 32]
        opt.zero_grad()
        nn.functional.cross_entropy(pre_model(Xs[b]), ys[b]).backward()
        opt.step()
with torch.no_grad():
    print("pretrain acc (0-4, train):", (pre_model(Xs).argmax(1) == ys).float().mean().item())

# ---------- (b) fine-tuning on 5-9 ----------
tgt = y >= 5
Xt_tr, Xt_va, yt_tr, yt_va = train_test_split(X[tgt], y[tgt] - 5, test_size=0.3, random_state=31, stratify=y[tgt])
Xt_tr, Xt_va = torch.tensor(Xt_tr), torch.tensor(Xt_va)
yt_tr, yt_va = torch.tensor(yt_tr), torch.tensor(yt_va)

new_head = nn.Linear(64, 5)
model = nn.Sequential(body, new_head)
optimizer = torch.optim.Adam([
    {"params": body.parameters(), "lr": 1e-4},
    {"params": new_head.parameters(), "lr": 1e-3},
])
criterion = nn.CrossEntropyLoss()

csv = open(os.path.join(logdir, "finetune_log.csv"), "w")
csv.write("epoch,train_loss,val_loss,val_acc\n")
for epoch in range(1, 26):
    model.train()
    perm = torch.randperm(len(Xt_tr))
    losses = []
    for i in range(0, len(perm), 32):
        b = perm[i:i + 32]
        optimizer.zero_grad()
        loss = criterion(model(Xt_tr[b]), yt_tr[b])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        out = model(Xt_va)
        val_loss = criterion(out, yt_va).item()
        val_acc = (out.argmax(1) == yt_va).float().mean().item()
    train_loss = float(np.mean(losses))
    csv.write(f"{epoch},{train_loss:.5f},{val_loss:.5f},{val_acc:.4f}\n")
    print(f"[finetune] epoch {epoch:2d}  train_loss {train_loss:.4f}  val_loss {val_loss:.4f}  val_acc {val_acc:.4f}")
csv.close()

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(train_loss, 4), "chance_acc": 0.2}))
