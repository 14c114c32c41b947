# Concentric circles, 5% label noise. Reference (Bayes) error = 0.05 by construction.
# Baseline model: logistic regression (what the team started with).
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: Bayes err 0.05; planted (linear) train_err 0.498, dev_err 0.516, loss stuck at 0.693 -> avoidable bias 0.45; control (2x32 tanh MLP) train_err 0.058, dev_err 0.040
# control: --control
import argparse
import json

import numpy as np
import torch
from sklearn.datasets import make_circles

torch.set_num_threads(1)
torch.manual_seed(3)

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true", help="use a 2-hidden-layer MLP instead of a linear model")
args = ap.parse_args()

LABEL_NOISE = 0.05


def load(n, seed):
    X, y = make_circles(n_samples=n, factor=0.5, noise=0.05, random_state=seed)
    rs = np.random.RandomState(seed)
    y = np.where(rs.rand(n) < LABEL_NOISE, 1 - y, y)
    return torch.from_numpy(X).float(), torch.from_numpy(y).float()


X_train, y_train = load(2000, 10)
X_dev, y_dev = load(1000, 11)

if args.control:
    net = torch.nn.Sequential(torch.nn.Linear(2, 32), torch.nn.Tanh(),
                              torch.nn.Linear(32, 32), torch.nn.Tanh(),
                              torch.nn.Linear(32, 1))
else:
    net = torch.nn.Linear(2, 1)

optimizer = torch.optim.Adam(net.parameters(), lr=1e-2)
criterion = torch.nn.BCEWithLogitsLoss()
ds = torch.utils.data.TensorDataset(X_train, y_train)
dl = torch.utils.data.DataLoader(ds, batch_size=100, shuffle=True)


@torch.no_grad()
def evaluate(X, y):
    net.eval()
    out = net(X).squeeze(1)
    net.train()
    return criterion(out, y).item(), ((out > 0).float() != y).float().mean().item()


for ep in range(40):
    for xb, yb in dl:
        optimizer.zero_grad()
        loss = criterion(net(xb).squeeze(1), yb)
        loss.backward()
        optimizer.step()
    tl, te = evaluate(X_train, y_train)
    dl_, de = evaluate(X_dev, y_dev)
    if ep % 10 == 9:
        print(f"[{ep+1}] train loss {tl:.4f} err {te:.3f} | dev loss {dl_:.4f} err {de:.3f} | bayes err {LABEL_NOISE}")

print(f"Bayes err {LABEL_NOISE:.3f} | train err {te:.3f} | dev err {de:.3f}")
print(f"avoidable bias {te - LABEL_NOISE:.3f}, variance {de - te:.3f}")
print("CORPUS_METRIC " + json.dumps(dict(train_err=round(te, 4), dev_err=round(de, 4), bayes_err=LABEL_NOISE,
                                         train_loss=round(tl, 4), val_loss=round(dl_, 4),
                                         val_acc=round(1 - de, 4), chance_acc=0.5)))
