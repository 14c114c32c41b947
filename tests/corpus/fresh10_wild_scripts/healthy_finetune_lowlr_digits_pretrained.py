# Transfer learning at a low learning rate: an MLP is pre-trained on digits 0-4 and saved; a fresh
# process-style block loads the backbone and fine-tunes on digits 5-9 (few labels) with
# backbone lr 3e-4 and head lr 3e-3 (discriminative learning rates), linear decay. Look-alike of a
# too-low-lr run, but it is the normal fine-tuning recipe and reaches a good accuracy.
# expect:
# allow:
# forbid: *
# evidence: healthy fine-tune (backbone lr 3e-4, head 3e-3, 300 labels of digits 5-9 on a backbone pre-trained on 0-4): val_acc 0.956 (chance 0.20), val_loss 0.178 and levelling off, train_loss 0.096
import os, json, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(5)
X, y = load_digits(return_X_y=True)
X = torch.tensor((X / 16.0 - 0.3) / 0.4, dtype=torch.float32); y = torch.tensor(y)
src, tgt = y < 5, y >= 5


class Net(nn.Module):
    def __init__(self, n_out):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU())
        self.head = nn.Linear(128, n_out)

    def forward(self, x):
        return self.head(self.backbone(x))


def run_epochs(model, opt, X, y, epochs, sched=None, bs=32):
    for _ in range(epochs):
        model.train(); perm = torch.randperm(len(X))
        for i in range(0, len(perm), bs):
            b = perm[i:i + bs]
            loss = F.cross_entropy(model(X[b]), y[b])
            opt.zero_grad(); loss.backward(); opt.step()
            if sched: sched.step()


# ---- stage 1: pre-train on 0-4
pre = Net(5)
run_epochs(pre, torch.optim.Adam(pre.parameters(), lr=1e-3), X[src], y[src], epochs=10)
ckpt = os.path.join(tempfile.mkdtemp(), "pretrained.pt")
torch.save(pre.backbone.state_dict(), ckpt)
print("pre-trained backbone saved")

# ---- stage 2: fine-tune on 5-9 with 300 labelled images
Xt, yt = X[tgt], y[tgt] - 5
Xtr, Xva, ytr, yva = train_test_split(Xt, yt, train_size=300, random_state=5, stratify=yt)
model = Net(5)
model.backbone.load_state_dict(torch.load(ckpt, weights_only=True))
opt = torch.optim.AdamW([{"params": model.backbone.parameters(), "lr": 3e-4},
                         {"params": model.head.parameters(), "lr": 3e-3}], weight_decay=1e-2)
EPOCHS = 25; steps = EPOCHS * ((len(Xtr) + 31) // 32)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.05, 1 - s / steps))
for ep in range(EPOCHS):
    run_epochs(model, opt, Xtr, ytr, 1, sched)
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    if ep % 5 == 4 or ep == 0:
        print(f"finetune epoch {ep+1}: val_loss {vl:.4f} val_acc {va:.4f}")
with torch.no_grad():
    tl = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.2, "n_train_finetune": len(Xtr)}))
