"""8x8 digits with strong hand-written tensor augmentation in a collate_fn
(random shifts, pixel dropout, gaussian noise, contrast jitter). Train loss stays ABOVE
val loss because validation images are clean. Logs JSON lines to $CORPUS_LOG_DIR/train_log.jsonl."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.93 on clean held-out digits (chance 0.10), val_loss 0.21; train_loss 0.71 stays far ABOVE val_loss only because training batches are heavily augmented in the collate_fn (shift, pixel dropout, contrast, noise)
# native-log: train_log.jsonl
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import Dataset, DataLoader
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

d = load_digits()
X = (d.images / 16.0).astype(np.float32); y = d.target
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.25, stratify=y, random_state=1)

class Digits(Dataset):
    def __init__(self, X, y):
        self.X = torch.tensor(X).unsqueeze(1); self.y = torch.tensor(y)
    def __len__(self): return len(self.y)
    def __getitem__(self, i): return self.X[i], self.y[i]

def norm(img): return (img - 0.3) / 0.4

def augment_collate(batch):
    """hand-written tensor augmentation applied to the whole batch"""
    img = torch.stack([b[0] for b in batch]); y = torch.stack([b[1] for b in batch])
    B = len(y)
    shifted = torch.empty_like(img)
    for k, (dy, dx) in enumerate(torch.randint(-1, 2, (B, 2)).tolist()):   # per-image random shift
        shifted[k] = torch.roll(img[k], shifts=(dy, dx), dims=(1, 2))
    img = shifted * (torch.rand_like(img) > 0.15).float()                  # pixel dropout
    img = img * torch.empty(B, 1, 1, 1).uniform_(0.6, 1.4) + 0.1 * torch.randn_like(img)
    return norm(img), y

def plain_collate(batch):
    return norm(torch.stack([b[0] for b in batch])), torch.stack([b[1] for b in batch])

dl_tr = DataLoader(Digits(X_tr, y_tr), batch_size=32, shuffle=True, collate_fn=augment_collate)
dl_va = DataLoader(Digits(X_va, y_va), batch_size=256, collate_fn=plain_collate)

model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 16, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
f = open(os.path.join(log_dir, "train_log.jsonl"), "w")
for ep in range(10):
    model.train(); tot = n = 0
    for xb, yb in dl_tr:
        opt.zero_grad(); loss = F.cross_entropy(model(xb), yb); loss.backward(); opt.step()
        tot += loss.item() * len(yb); n += len(yb)
    model.eval(); vl = vc = vn = 0
    with torch.no_grad():
        for xb, yb in dl_va:
            out = model(xb); vl += F.cross_entropy(out, yb, reduction="sum").item()
            vc += (out.argmax(1) == yb).sum().item(); vn += len(yb)
    rec = {"epoch": ep, "train_loss": round(tot / n, 5), "val_loss": round(vl / vn, 5), "val_acc": round(vc / vn, 4)}
    f.write(json.dumps(rec) + "\n"); f.flush(); print(rec)
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": rec["val_loss"], "val_acc": rec["val_acc"], "train_loss": rec["train_loss"], "chance_acc": 0.1}))
