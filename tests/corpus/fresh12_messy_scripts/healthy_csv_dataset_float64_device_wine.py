# expect:
# allow:
# forbid: *
# evidence: float64 model, Dataset reading a CSV from a temp dir, metrics by hand in numpy: val_acc 1.00 (chance 0.40), val_loss 0.021, train_loss 0.006
import os, csv, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader
from sklearn.datasets import load_wine

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_default_dtype(torch.float64)
device = torch.device("cuda:0" if torch.cuda.is_available() else ("mps" if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available() else "cpu"))
print("device:", device)

# ---- dump to csv (pretend this came from the lab)
wine = load_wine()
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, "wine.csv")
with open(path, "w", newline="") as fh:
    w = csv.writer(fh); w.writerow(list(wine.feature_names) + ["label"])
    for row, lab in zip(wine.data, wine.target):
        w.writerow([f"{v:.4f}" for v in row] + [int(lab)])

class WineCSV(Dataset):
    def __init__(self, path, rows, stats=None):
        with open(path) as fh:
            r = csv.reader(fh); header = next(r); data = [list(map(float, line)) for line in r]
        data = np.array(data)[rows]
        self.x = data[:, :-1]; self.y = data[:, -1].astype(np.int64)
        self.stats = stats or (self.x.mean(0), self.x.std(0))
        self.x = (self.x - self.stats[0]) / self.stats[1]
    def __len__(self): return len(self.y)
    def __getitem__(self, i): return torch.from_numpy(self.x[i]), int(self.y[i])

idx = np.random.permutation(178)
tr = WineCSV(path, idx[:130]); va = WineCSV(path, idx[130:], stats=tr.stats)
tl_ = DataLoader(tr, batch_size=8, shuffle=True)
model = nn.Sequential(nn.Linear(13, 24), nn.Tanh(), nn.Linear(24, 3)).to(device)
print(next(model.parameters()).dtype)
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=1e-4)
lossfn = nn.CrossEntropyLoss()
for e in range(25):
    model.train(); s = 0.0
    for xb, yb in tl_:
        xb, yb = xb.to(device), yb.to(device)
        loss = lossfn(model(xb), yb); opt.zero_grad(); loss.backward(); opt.step(); s += loss.item() * len(yb)
    model.eval()
    with torch.no_grad():
        xv = torch.from_numpy(va.x).to(device)
        logits = model(xv).detach().cpu().numpy()
    # by hand, numpy
    lse = np.log(np.exp(logits - logits.max(1, keepdims=True)).sum(1)) + logits.max(1)
    vl = float((lse - logits[np.arange(len(va.y)), va.y]).mean()); acc = float((logits.argmax(1) == va.y).mean())
    if e % 5 == 4:
        print("e=%02d  loss=%.4f  vloss=%.4f  vacc=%.1f%%" % (e + 1, s / len(tr), vl, acc * 100))
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": acc, "train_loss": s / len(tr), "chance_acc": 0.40}))
