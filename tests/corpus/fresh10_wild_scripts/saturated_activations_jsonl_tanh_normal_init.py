# Tanh MLP on digits. The init helper calls nn.init.normal_(w) -- default std=1.0 -- on 512-wide
# layers, so pre-activations have std ~20 and almost every tanh sits at +-1. Epoch metrics go to
# a JSON-lines file.
# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias, overfitting, high_variance
# forbid: *
# evidence: nn.init.normal_ (std 1) on 512-wide tanh layers: 70-91% of tanh outputs |a|>0.99 at init and 80-92% after training; val_acc 0.869, val_loss 2.363, train_acc 0.962; --control (Xavier/tanh gain) 0.4-2.6% saturated, val_acc 0.970, val_loss 0.102
# control: --control
# native-log: history.jsonl
# log-expect:
# log-allow: non_convergence, overfitting, high_variance, high_bias
import os, sys, json, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0)
X, y = load_digits(return_X_y=True)
X = (X - X.mean(0)) / (X.std(0) + 1e-6)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)


def init_weights(m):
    if isinstance(m, nn.Linear):
        if CONTROL:
            nn.init.xavier_uniform_(m.weight, gain=nn.init.calculate_gain("tanh"))
        else:
            nn.init.normal_(m.weight)          # std defaults to 1.0
        nn.init.zeros_(m.bias)


model = nn.Sequential(nn.Linear(64, 512), nn.Tanh(), nn.Linear(512, 512), nn.Tanh(), nn.Linear(512, 512), nn.Tanh(), nn.Linear(512, 10))
model.apply(init_weights)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
crit = nn.CrossEntropyLoss()
hist = open(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "history.jsonl"), "w")


def saturation():
    with torch.no_grad():
        h, s = Xva, []
        for m in model:
            h = m(h)
            if isinstance(m, nn.Tanh): s.append((h.abs() > 0.99).float().mean().item())
    return s


print("saturated fraction at init:", [round(v, 3) for v in saturation()])
step = 0
for epoch in range(12):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(perm), 32):
        b = perm[i:i + 32]
        loss = crit(model(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(b); step += 1
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = crit(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    rec = {"epoch": epoch, "step": step, "loss": tot / len(Xtr), "val_loss": vl, "val_accuracy": va, "lr": 0.01}
    hist.write(json.dumps(rec) + "\n"); hist.flush(); print(rec)
hist.close()
with torch.no_grad():
    o = model(Xtr); tl = crit(o, ytr).item(); ta = (o.argmax(1) == ytr).float().mean().item()
sat = saturation()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4),
                                     "saturated_frac_per_layer": [round(v, 3) for v in sat], "chance_acc": 0.1}))
