# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units, high_bias
# forbid: *
# evidence: planted SGD(momentum .9) lr=0.8: loss 2.35-2.50 (above ln10=2.30) for all 20 epochs, val_acc 0.07 (chance 0.10); control lr=0.03: train_loss 0.020, val_loss 0.096, val_acc 0.975
# control: --control
# native-log: tqdm_epochs.txt
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, high_bias
# tqdm bars (one finished bar per epoch, leave=True) written to a file via tqdm(file=...),
# postfix carries loss / val_loss / val_acc / lr.  lr=0.8 with momentum 0.9 on an MLP: far too high.
import argparse
import json
import os
import tempfile

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
ap.add_argument("--epochs", type=int, default=20)
args = ap.parse_args()
LR = 0.03 if args.control else 0.8

torch.set_num_threads(1)
torch.manual_seed(61)
X, Y = load_digits(return_X_y=True)
X = torch.tensor(X / 16.0, dtype=torch.float32)
Y = torch.tensor(Y)
perm = torch.randperm(len(X))
Xt, Yt, Xv, Yv = X[perm[:1400]], Y[perm[:1400]], X[perm[1400:]], Y[perm[1400:]]

W = torch.nn.ModuleList([torch.nn.Linear(64, 128), torch.nn.Linear(128, 128), torch.nn.Linear(128, 10)])


def forward(x):
    for layer in W[:-1]:
        x = F.relu(layer(x))
    return W[-1](x)


opt = torch.optim.SGD(W.parameters(), lr=LR, momentum=0.9)
path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "tqdm_epochs.txt")
os.makedirs(os.path.dirname(path), exist_ok=True)
out = open(path, "w")
nb = 44
for epoch in range(args.epochs):
    losses = []
    for bidx in torch.randperm(1400).split(32):
        loss = F.cross_entropy(forward(Xt[bidx]), Yt[bidx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    with torch.no_grad():
        o = forward(Xv)
        vl = F.cross_entropy(o, Yv).item()
        va = (o.argmax(1) == Yv).float().mean().item()
    tl = sum(losses) / len(losses)
    line = (f"train {epoch}: 100%|##########| {nb}/{nb} [00:00<00:00, 301.7it/s, "
            f"loss={tl:.4g}, val_loss={vl:.4g}, val_acc={va:.3f}, lr={LR:.1e}]")
    out.write(line + "\n")
    print(line)
out.close()
with torch.no_grad():
    ftl = F.cross_entropy(forward(Xt), Yt).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(ftl, 4),
                                     "chance_acc": 0.1}))
