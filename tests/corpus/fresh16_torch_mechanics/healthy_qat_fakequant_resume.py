# expect:
# allow:
# forbid: *
# evidence: int8 fake-quant QAT with STE, resumed mid-run from model+Adam state: val_acc 0.978, val_loss 0.093, train_loss 0.011 (chance 0.10); no jump at the resume (epoch 6); metric: val_acc
# native-log: qat.csv
# log-expect:
# log-allow:
"""Quantisation-aware training: weights and activations are fake-quantised to int8/uint8 with a
custom autograd.Function (round in forward, straight-through in backward). Halfway through, the
model + optimiser state are saved with torch.save, a fresh model/optimiser are built and
load_state_dict'ed (as after a job restart), and training continues."""
import os, sys, json, random, tempfile, csv, io
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

class FakeQuant(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale, qmin, qmax):
        return torch.clamp(torch.round(x / scale), qmin, qmax) * scale
    @staticmethod
    def backward(ctx, g):
        return g, None, None, None
class QLinear(nn.Linear):
    def forward(self, x):
        s = self.weight.detach().abs().max() / 127
        return F.linear(x, FakeQuant.apply(self.weight, s, -127, 127), self.bias)
class ActQ(nn.Module):
    def forward(self, x):
        x = F.relu(x); s = x.detach().max().clamp(min=1e-8) / 255
        return FakeQuant.apply(x, s, 0, 255)
def build(): return nn.Sequential(QLinear(64, 128), ActQ(), QLinear(128, 64), ActQ(), QLinear(64, 10))

X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=3, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = build(); opt = torch.optim.Adam(model.parameters(), lr=2e-3)
f = open(os.path.join(LOG_DIR, "qat.csv"), "w", newline=""); wr = csv.writer(f)
wr.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
for ep in range(12):
    if ep == 6:
        buf = io.BytesIO(); torch.save({"model": model.state_dict(), "opt": opt.state_dict()}, buf); buf.seek(0)
        ck = torch.load(buf)
        model = build(); model.load_state_dict(ck["model"])
        opt = torch.optim.Adam(model.parameters(), lr=2e-3); opt.load_state_dict(ck["opt"])
        print("resumed from in-memory checkpoint (model + Adam state)")
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    wr.writerow([ep, round(tot / len(Xtr), 5), round(vl, 5), round(va, 4)])
    print(f"epoch {ep} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4), "chance_acc": 0.1}))
