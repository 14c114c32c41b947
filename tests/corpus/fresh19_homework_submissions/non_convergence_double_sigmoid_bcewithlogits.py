# expect: non_convergence
# allow: high_bias, saturated_activations, learning_rate_too_low, vanishing_gradients
# forbid: *
# evidence: planted (Sigmoid layer + BCEWithLogitsLoss, SGD 0.05, 30 ep) train loss 0.72->0.57 (floor of the double sigmoid), val_acc 0.89; control (logits) train loss 0.18, val_loss 0.13, val_acc 0.96
# control: --control
# native-log: history.json
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_low
# DL course - Assignment 2: binary classifier on two moons (non-linear boundary)
# Output layer has a sigmoid so predictions are probabilities, loss = BCEWithLogitsLoss
import os, sys, json, tempfile
import numpy as np
import torch
from torch import nn
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(1)

control = "--control" in sys.argv
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

X, y = make_moons(n_samples=1200, noise=0.2, random_state=3)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=7)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32)
Xte = torch.tensor(sc.transform(Xte), dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32).unsqueeze(1)
yte = torch.tensor(yte, dtype=torch.float32).unsqueeze(1)

layers = [nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1)]
if not control:
    layers.append(nn.Sigmoid())
model = nn.Sequential(*layers)

loss_fn = nn.BCEWithLogitsLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.05)
EPOCHS = 30
BS = 32

def to_prob(out):
    # model already returns probabilities (planted) / logits (control)
    return out if not control else torch.sigmoid(out)

history = {"loss": [], "acc": [], "val_loss": [], "val_acc": []}
for ep in range(EPOCHS):
    model.train()
    idx = torch.randperm(len(Xtr))
    tot, corr = 0.0, 0
    for b in range(0, len(Xtr), BS):
        j = idx[b:b+BS]
        out = model(Xtr[j])
        loss = loss_fn(out, ytr[j])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(j)
        corr += ((to_prob(out) > 0.5).float() == ytr[j]).sum().item()
    model.eval()
    with torch.no_grad():
        o = model(Xte)
        vl = loss_fn(o, yte).item()
        va = ((to_prob(o) > 0.5).float() == yte).float().mean().item()
    history["loss"].append(tot / len(Xtr)); history["acc"].append(corr / len(Xtr))
    history["val_loss"].append(vl); history["val_acc"].append(va)
    print("epoch", ep + 1, "train loss", round(tot / len(Xtr), 4), "train acc", round(corr / len(Xtr), 4),
          "| val loss", round(vl, 4), "val acc", round(va, 4))

with open(os.path.join(log_dir, "history.json"), "w") as f:
    json.dump(history, f)

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
      "train_loss": round(history["loss"][-1], 4), "chance_acc": round(float(yte.mean().item()), 4)}))
