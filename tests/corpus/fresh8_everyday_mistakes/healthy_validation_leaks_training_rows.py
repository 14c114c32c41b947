# expect:
# allow:
# forbid: *
# evidence: healthy training (the leak only makes val optimistic, slightly here): leaky val 0.135 / acc 0.939, truly disjoint test 0.130 / 0.948, train 0.109 / 0.953 (majority 0.525)
# The "validation" split is drawn from the full table *after* the training rows were taken from it with
# replacement-style indexing, so about half of the validation rows are also training rows. The val
# numbers are a bit optimistic, but the training itself is sound: a truly disjoint test set agrees.
import json
import numpy as np
import torch
from torch import nn

torch.manual_seed(25); torch.set_num_threads(1)
rng = np.random.default_rng(250)

n = 6000
feat = rng.normal(size=(n, 10)).astype("float32")
lin = rng.normal(size=10).astype("float32")
logit = feat @ lin + 0.8 * feat[:, 0] * feat[:, 1] - 0.5 * feat[:, 2] ** 2 + 0.5
label = (logit + 0.4 * rng.normal(size=n) > 0).astype("int64")

idx = rng.permutation(n)
train_idx = idx[:4000]
test_idx = idx[5000:]                                    # truly held out
val_idx = np.concatenate([idx[:500], idx[4000:4500]])    # BUG: half of "val" are training rows
X = torch.from_numpy(feat); Y = torch.from_numpy(label)

net = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
crit = nn.CrossEntropyLoss()

def score(ix):
    net.eval()
    with torch.no_grad():
        o = net(X[ix]); return crit(o, Y[ix]).item(), (o.argmax(1) == Y[ix]).float().mean().item()

for epoch in range(15):
    net.train()
    order = rng.permutation(train_idx)
    for k in range(0, len(order), 64):
        b = torch.from_numpy(order[k:k + 64])
        loss = crit(net(X[b]), Y[b]); opt.zero_grad(); loss.backward(); opt.step()
    vl, va = score(val_idx)
    print(f"epoch {epoch} val_loss {vl:.4f} val_acc {va:.3f}")

tl, ta = score(train_idx); sl, sa = score(test_idx)
print(f"train {tl:.4f}/{ta:.3f}  leaky val {vl:.4f}/{va:.3f}  disjoint test {sl:.4f}/{sa:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "test_loss": round(sl, 4), "test_acc": round(sa, 4),
                                      "chance_acc": round(float(max(label[val_idx].mean(), 1 - label[val_idx].mean())), 3)}))
