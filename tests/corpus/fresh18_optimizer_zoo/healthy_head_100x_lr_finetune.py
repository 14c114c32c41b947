"""Transfer-style fine-tuning with per-parameter groups. A CNN backbone is first pretrained on
digits 0-4 (stage 1, in-script), then a fresh 10-way head is trained on all digits with the head at
100x the backbone lr (1e-2 vs 1e-4) and no weight decay on biases / BatchNorm params (AdamW).
A large head/backbone lr ratio is a deliberate, healthy choice here."""
# expect:
# allow:
# forbid: *
# evidence: stage-1 pretrain on digits 0-4, then AdamW groups backbone 1e-4 / head 1e-2 (100x), no wd on BN/bias: val_loss 0.076, val_acc 0.981 (chance 0.10), train_loss 0.050, val loss falling every epoch
# native-log: finetune_groups.jsonl
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=8, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8); Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

backbone = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(2), nn.Flatten())
# stage 1: pretrain on digits 0-4
m5 = ytr < 5; X5, y5 = Xtr[m5], ytr[m5]
pre = nn.Sequential(backbone, nn.Linear(128, 5))
o = torch.optim.Adam(pre.parameters(), lr=3e-3)
for ep in range(4):
    perm = torch.randperm(len(X5))
    for i in range(0, len(X5), 32):
        idx = perm[i:i + 32]; l = F.cross_entropy(pre(X5[idx]), y5[idx]); o.zero_grad(); l.backward(); o.step()
print(f"stage 1 (digits 0-4) final batch loss {l.item():.3f}")

# stage 2: new head, param groups
head = nn.Linear(128, 10)
model = nn.Sequential(backbone, head)
bb_decay = [p for n, p in backbone.named_parameters() if p.ndim > 1]
bb_nodecay = [p for n, p in backbone.named_parameters() if p.ndim <= 1]
BASE = 1e-4
opt = torch.optim.AdamW([
    {"params": bb_decay, "lr": BASE, "weight_decay": 1e-2, "name": "backbone"},
    {"params": bb_nodecay, "lr": BASE, "weight_decay": 0.0, "name": "backbone_norm_bias"},
    {"params": [head.weight], "lr": 100 * BASE, "weight_decay": 1e-2, "name": "head"},
    {"params": [head.bias], "lr": 100 * BASE, "weight_decay": 0.0, "name": "head_bias"},
])
log = open(os.path.join(LOG_DIR, "finetune_groups.jsonl"), "w")
step = 0
for epoch in range(10):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx]); opt.zero_grad(); loss.backward(); opt.step()
        step += 1; tot += loss.item() * len(idx)
    tr = tot / len(Xtr)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    rec = {"epoch": epoch, "step": step, "train_loss": round(tr, 5), "val_loss": round(vl, 5), "val_acc": round(va, 4)}
    rec.update({f"lr/{g['name']}": g["lr"] for g in opt.param_groups})
    log.write(json.dumps(rec) + "\n"); log.flush()
    print(f"epoch {epoch} train_loss {tr:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tr, 4), "chance_acc": 0.1}))
