"""Tiny BN+SiLU CNN classifier on 8x8 digits trained the Ultralytics way (SGD nesterov, 3 warmup
epochs with warmup_bias_lr=0.1, linear lr decay to lrf=0.01); metrics written in Ultralytics'
runs/classify/train/results.csv format (space-padded column names, epoch from 1).
"""
# expect:
# allow:
# forbid: *
# evidence: healthy run: val top1 0.989 (chance 0.10), val/loss 0.041, train/loss 0.013 after 8 epochs
# native-log: runs/classify/train/results.csv
# log-expect:
# log-allow:
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
SAVE = os.path.join(LOG_DIR, "runs", "classify", "train"); os.makedirs(os.path.join(SAVE, "weights"), exist_ok=True)
with open(os.path.join(SAVE, "args.yaml"), "w") as f:
    f.write("task: classify\nmode: train\nmodel: tinycls.yaml\ndata: digits8x8\nepochs: 8\nbatch: 32\nimgsz: 8\n"
            "optimizer: SGD\nlr0: 0.01\nlrf: 0.01\nmomentum: 0.937\nweight_decay: 0.0005\nwarmup_epochs: 3.0\n"
            "warmup_momentum: 0.8\nwarmup_bias_lr: 0.1\nseed: 0\ndeterministic: true\n")
def save_metrics(epoch, keys, vals):
    """ultralytics BaseTrainer.save_metrics: '%23s,' header then '%23.5g,' rows, epoch starting at 1"""
    n = len(keys) + 1; path = os.path.join(SAVE, "results.csv")
    s = "" if os.path.exists(path) else (("%23s," * n % tuple(["epoch"] + keys)).rstrip(",") + "\n")
    with open(path, "a") as f:
        f.write(s + ("%23.5g," * n % tuple([epoch + 1] + vals)).rstrip(",") + "\n")

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.5) / 0.5
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=5, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8), torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

class TinyCls(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1, bias=False); self.b1 = nn.BatchNorm2d(16)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1, bias=False); self.b2 = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32 * 4 * 4, 10)
    def forward(self, x):
        x = F.silu(self.b1(self.c1(x)))
        x = F.max_pool2d(F.silu(self.b2(self.c2(x))), 2)
        return self.fc(x.flatten(1))
model = TinyCls()
g_decay = [p for n, p in model.named_parameters() if p.dim() > 1]
g_bn = [p for n, p in model.named_parameters() if p.dim() == 1 and (".weight" in n and n.startswith("b"))]
g_bias = [p for n, p in model.named_parameters() if n.endswith("bias")]
opt = torch.optim.SGD([{"params": g_bn, "weight_decay": 0.0}], lr=0.01, momentum=0.937, nesterov=True)
opt.add_param_group({"params": g_decay, "weight_decay": 5e-4}); opt.add_param_group({"params": g_bias, "weight_decay": 0.0})
# ultralytics ordering: pg0 = weights with decay, pg1 = BN weights, pg2 = biases
order = [1, 0, 2]
EPOCHS = 8
LR0, LRF, WARM = 0.01, 0.01, 3
nb = (len(Xtr) + 31) // 32; nw = WARM * nb
lf = lambda e: (1 - e / EPOCHS) * (1.0 - LRF) + LRF
step = 0
for epoch in range(EPOCHS):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0; n = 0
    labels = ytr
    for i in range(0, len(Xtr), 32):
        if step <= nw:
            for j, g in enumerate(opt.param_groups):
                g["lr"] = np.interp(step, [0, nw], [0.1 if j == 2 else 0.0, LR0 * lf(epoch)])
                g["momentum"] = np.interp(step, [0, nw], [0.8, 0.937])
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(Xtr[idx]), labels[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        tl += loss.item() * len(idx); n += len(idx)
    lrs = [opt.param_groups[k]["lr"] for k in order]
    if step > nw:
        for g in opt.param_groups: g["lr"] = LR0 * lf(epoch + 1)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item()
        top1 = (out.argmax(1) == yva).float().mean().item()
        top5 = (out.topk(5, 1).indices == yva[:, None]).any(1).float().mean().item()
    save_metrics(epoch, ["train/loss", "metrics/accuracy_top1", "metrics/accuracy_top5", "val/loss", "lr/pg0", "lr/pg1", "lr/pg2"],
                 [tl / n, top1, top5, vl] + lrs)
    print(f"{epoch + 1:>3}/{EPOCHS} train/loss {tl/n:.4f} val/loss {vl:.4f} top1 {top1:.4f} top5 {top5:.4f}")
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(top1, 4), "val_top5": round(top5, 4), "train_loss": round(trl, 4), "chance_acc": 0.1}))
