# expect:
# allow:
# forbid: *
# evidence: healthy; loss ~ln2 for epochs 1-3, then drops; val_acc 1.000 (chance 0.5), val_loss 1e-4, train 1e-4
# native-log: parity_log.jsonl
# log-expect:
# log-allow:
"""Learning a 5-bit parity (embedded among 16 random +-1 bits) with a 2-hidden-layer MLP and
Adam(lr=2e-3). Parity is famous for an early plateau: the loss sits near ln 2 for the first
epochs while the network searches for the feature, then drops sharply and converges to ~100%
held-out accuracy. A normal, well-set-up training; writes parity_log.jsonl per epoch.
"""
import json
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
g = torch.Generator().manual_seed(0)


def bits(n):
    x = torch.randint(0, 2, (n, 16), generator=g).float() * 2 - 1
    y = (x[:, :5] < 0).sum(1) % 2
    return x, y


xtr, ytr = bits(6000)
xva, yva = bits(1000)
model = nn.Sequential(nn.Linear(16, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 2))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
with open(os.path.join(log_dir, "parity_log.jsonl"), "w") as fh:
    for ep in range(25):
        perm = torch.randperm(len(xtr))
        tot = 0.0
        for i in range(0, len(xtr), 100):
            idx = perm[i:i + 100]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        with torch.no_grad():
            o = model(xva)
            vl, va = F.cross_entropy(o, yva).item(), (o.argmax(1) == yva).float().mean().item()
        fh.write(json.dumps({"epoch": ep + 1, "train/loss": round(tot / len(xtr), 5), "valid/loss": round(vl, 5),
                             "valid/acc": round(va, 4)}) + "\n")
        print(f"epoch {ep+1:2d} train_loss {tot/len(xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f}")
with torch.no_grad():
    tl = F.cross_entropy(model(xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": 0.5}))
