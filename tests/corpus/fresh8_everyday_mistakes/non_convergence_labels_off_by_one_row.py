# expect: non_convergence
# allow: overfitting, high_variance, high_bias
# forbid: *
# evidence: planted (labels shifted one row vs features, so unrelated to inputs): val_acc 0.223 (majority 0.244), train_loss 1.578 -> 1.488, val_loss 1.582 -> 1.603 over 10 epochs; control (aligned) val_acc 0.722, val_loss 0.653, train_loss 0.601
# control: --control
# Features and labels live in two files; labels.txt has a header line that np.loadtxt is told to skip,
# but the author *also* drops the first label "to skip the header" -> every label belongs to the next row.
import io, json, sys
import numpy as np
import torch
import torch.nn as nn

CONTROL = "--control" in sys.argv
torch.manual_seed(30); torch.set_num_threads(1)
rng = np.random.default_rng(300)

N = 5001
feats = rng.normal(size=(N, 16)).astype("float32")
proj = rng.normal(size=(16, 5)).astype("float32")
true_lab = (np.tanh(feats @ proj / 2) + 0.3 * np.sin(3 * feats[:, :5])).argmax(1)
label_file = io.StringIO("label\n" + "\n".join(str(v) for v in true_lab))

labels = np.loadtxt(label_file, skiprows=1, dtype=np.int64)
if not CONTROL:
    labels = labels[1:]          # BUG: header already skipped above
    feats = feats[:-1]
else:
    labels, feats = labels[:-1], feats[:-1]
X, Y = torch.from_numpy(feats), torch.from_numpy(labels)
Xtr, Ytr, Xva, Yva = X[:4000], Y[:4000], X[4000:], Y[4000:]

model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 5))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
lossf = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train(); perm = torch.randperm(4000); tot = 0
    for i in range(0, 4000, 64):
        j = perm[i:i + 64]
        loss = lossf(model(Xtr[j]), Ytr[j]); opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item()
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = lossf(o, Yva).item(); va = (o.argmax(1) == Yva).float().mean().item()
    print(f"epoch {epoch} train {tot / 63:.4f} val {vl:.4f} acc {va:.3f}")
with torch.no_grad():
    tl = lossf(model(Xtr), Ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "chance_acc": round(Yva.bincount().max().item() / len(Yva), 3)}))
