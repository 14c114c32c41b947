# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (50 training images, Adam 3e-3) -> train_loss 7e-5, val_loss climbs from 0.67 (ep 21) to 1.05, val_acc 0.82; control (1400 images) val_loss 0.094, val_acc 0.975
# control: --control
# native-log: keras_history.json
# log-expect: overfitting
# log-allow: high_variance
"""Keras-style history (json.dumps(history.history)) from a torch loop.
Someone 'quickly checked the pipeline' on the first 60 images and kept the run."""
import argparse, json, os, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true", help="use the whole training split")
args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(7)
rs = np.random.RandomState(7)

X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype(np.float32)
idx = rs.permutation(len(X))
val_idx, train_idx = idx[:400], idx[400:]
if not args.control:
    train_idx = train_idx[:50]
Xtr, ytr = torch.from_numpy(X[train_idx]), torch.from_numpy(y[train_idx]).long()
Xva, yva = torch.from_numpy(X[val_idx]), torch.from_numpy(y[val_idx]).long()

model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.CrossEntropyLoss()
history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}

EPOCHS, BATCH = 60, 128
for ep in range(EPOCHS):
    model.train()
    order = torch.randperm(len(Xtr))
    tl, tc = 0.0, 0
    for s in range(0, len(order), BATCH):
        b = order[s:s + BATCH]
        logits = model(Xtr[b])
        loss = loss_fn(logits, ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(b); tc += (logits.argmax(1) == ytr[b]).sum().item()
    model.eval()
    with torch.no_grad():
        lv = model(Xva)
        vl = loss_fn(lv, yva).item(); va = (lv.argmax(1) == yva).float().mean().item()
    history["loss"].append(tl / len(Xtr)); history["accuracy"].append(tc / len(Xtr))
    history["val_loss"].append(vl); history["val_accuracy"].append(va)
    if ep % 10 == 0 or ep == EPOCHS - 1:
        print(f"epoch {ep+1}: loss={tl/len(Xtr):.4f} acc={tc/len(Xtr):.3f} val_loss={vl:.4f} val_acc={va:.3f}")

d = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(d, exist_ok=True)
with open(os.path.join(d, "keras_history.json"), "w") as fh:
    fh.write(json.dumps(history))

with torch.no_grad():
    ftl = loss_fn(model(Xtr), ytr).item()
print(f"min val_loss {min(history['val_loss']):.4f} at epoch {int(np.argmin(history['val_loss'])) + 1}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(ftl, 5), "chance_acc": 0.1}))
