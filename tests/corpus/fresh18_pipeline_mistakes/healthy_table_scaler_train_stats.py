"""Breast-cancer table kept as a dict of named columns (a DataFrame-like record table); StandardScaler fitted on the training
rows only and applied to train and val (the right way). A custom Dataset stacks the columns. Writes a plain text log, one line per epoch, to $CORPUS_LOG_DIR/train.log."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.951, val_loss 0.103, train_loss 0.049 (majority baseline 0.627); scaler fitted on train rows only and applied to both splits
# native-log: train.log
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

bc = load_breast_cancer()
feat = list(bc.feature_names)
table = {name: bc.data[:, j] for j, name in enumerate(feat)}
table["target"] = bc.target
idx_tr, idx_va = train_test_split(np.arange(len(bc.target)), test_size=0.25, stratify=bc.target, random_state=0)

def rows(idx):
    return np.stack([table[c][idx] for c in feat], 1), table["target"][idx]

Xtr_raw, ytr = rows(idx_tr); Xva_raw, yva = rows(idx_va)
scaler = StandardScaler().fit(Xtr_raw)                 # train rows only
tr_df = (scaler.transform(Xtr_raw), ytr); va_df = (scaler.transform(Xva_raw), yva)

class FrameDS(Dataset):
    def __init__(self, frame):
        self.x = torch.tensor(frame[0], dtype=torch.float32)
        self.y = torch.tensor(frame[1], dtype=torch.float32)
    def __len__(self): return len(self.y)
    def __getitem__(self, i): return self.x[i], self.y[i]

dl_tr = DataLoader(FrameDS(tr_df), batch_size=32, shuffle=True)
va = FrameDS(va_df)
model = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
lossf = nn.BCEWithLogitsLoss()
log = open(os.path.join(log_dir, "train.log"), "w")
for ep in range(30):
    model.train(); tot = n = 0
    for xb, yb in dl_tr:
        opt.zero_grad(); loss = lossf(model(xb).squeeze(1), yb); loss.backward(); opt.step()
        tot += loss.item() * len(yb); n += len(yb)
    model.eval()
    with torch.no_grad():
        out = model(va.x).squeeze(1); vl = lossf(out, va.y).item(); acc = ((out > 0).float() == va.y).float().mean().item()
    line = f"Epoch {ep+1}/30 - loss: {tot/n:.4f} - val_loss: {vl:.4f} - val_accuracy: {acc:.4f}"
    print(line); log.write(line + "\n")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tot / n, 4), "majority_acc": 0.627}))
