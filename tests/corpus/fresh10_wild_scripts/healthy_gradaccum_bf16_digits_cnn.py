# Small CNN on 8x8 digits with gradient accumulation (micro-batch 16 x 4) and CPU bfloat16
# autocast, OneCycle LR schedule.
# expect:
# allow:
# forbid: *
# evidence: healthy; BN CNN with grad accumulation + bf16 autocast + OneCycle reaches val_acc 0.983 (chance 0.10), val_loss 0.068 flat at the end, train_loss 0.0005
import json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(4); np.random.seed(4)
X, y = load_digits(return_X_y=True)
X = (X.reshape(-1, 1, 8, 8) / 16.0 - 0.3) / 0.4
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=4, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1); self.b1 = nn.BatchNorm2d(16)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1); self.b2 = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32 * 4 * 4, 10)

    def forward(self, x):
        x = F.relu(self.b1(self.c1(x)))
        x = F.max_pool2d(F.relu(self.b2(self.c2(x))), 2)
        return self.fc(x.flatten(1))


model = Net()
MICRO, ACCUM, EPOCHS = 16, 4, 10
steps_per_epoch = (len(Xtr) + MICRO * ACCUM - 1) // (MICRO * ACCUM)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=EPOCHS * steps_per_epoch)
for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(Xtr)); run, n_opt = 0.0, 0
    opt.zero_grad()
    micro_batches = [perm[i:i + MICRO] for i in range(0, len(perm), MICRO)]
    for k, b in enumerate(micro_batches):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = model(Xtr[b])
            loss = F.cross_entropy(logits.float(), ytr[b]) / ACCUM
        loss.backward()
        run += loss.item() * ACCUM
        if (k + 1) % ACCUM == 0 or k == len(micro_batches) - 1:
            opt.step(); opt.zero_grad(); n_opt += 1
            if n_opt <= steps_per_epoch:
                sched.step()
    model.eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        out = model(Xva).float()
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch}: train_loss {run/len(micro_batches):.4f} val_loss {vl:.4f} val_acc {va:.4f} lr {sched.get_last_lr()[0]:.4f}")
with torch.no_grad():
    out = model(Xtr); tl = F.cross_entropy(out, ytr).item(); ta = (out.argmax(1) == ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "chance_acc": 0.1}))
