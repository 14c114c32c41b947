"""Sensor-fault classifier prototype: 30 features, the label is a noisy linear rule.

Bayes error is known: the generator flips 5% of labels, so the reference error is 0.05.
We only had 40 labelled examples for the first prototype and used a 2x512 MLP, no regularisation.
--control: the same model with 4000 labelled examples (what we get after the labelling sprint).
"""
# expect: high_variance
# allow: overfitting
# forbid: *
# evidence: Bayes err 0.05; planted (n_train=40) train_err 0.000, dev_err 0.319, dev_loss 2.25 -> variance 0.32; control (n_train=4000, same model) train_err 0.051, dev_err 0.099 -> variance 0.048
# control: --control
import sys
import json
import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(7)
BAYES = 0.05
D = 30
w_true = np.random.RandomState(0).randn(D)


def sample(n, seed):
    r = np.random.RandomState(seed)
    X = r.randn(n, D).astype(np.float32)
    y = (X @ w_true > 0).astype(np.int64)
    y[r.rand(n) < BAYES] ^= 1
    return torch.from_numpy(X), torch.from_numpy(y)


n_train = 4000 if "--control" in sys.argv else 40
Xtr, ytr = sample(n_train, 1)
Xdv, ydv = sample(2000, 2)

clf = nn.Sequential(nn.Linear(D, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 2))
opt = torch.optim.Adam(clf.parameters(), lr=1e-3)
ce = nn.CrossEntropyLoss()
bs = 32
steps_per_epoch = max(1, n_train // bs)
total_steps = 600
history = []
step = 0
while step < total_steps:
    perm = torch.randperm(n_train)
    for k in range(steps_per_epoch):
        idx = perm[k * bs:(k + 1) * bs]
        out = clf(Xtr[idx])
        loss = ce(out, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        step += 1
        if step % 100 == 0:
            with torch.no_grad():
                clf.eval()
                tr_out, dv_out = clf(Xtr), clf(Xdv)
                tr_loss, dv_loss = ce(tr_out, ytr).item(), ce(dv_out, ydv).item()
                tr_err = (tr_out.argmax(1) != ytr).float().mean().item()
                dv_err = (dv_out.argmax(1) != ydv).float().mean().item()
                clf.train()
            print(f"step {step:4d} train_loss={tr_loss:.4f} train_err={tr_err:.3f} "
                  f"dev_loss={dv_loss:.4f} dev_err={dv_err:.3f} bayes_err={BAYES}")
        if step >= total_steps:
            break

print(f"n_train={n_train}: avoidable bias={tr_err - BAYES:+.3f}  variance={dv_err - tr_err:+.3f}")
print("CORPUS_METRIC " + json.dumps({"train_err": round(tr_err, 4), "dev_err": round(dv_err, 4), "bayes_err": BAYES,
                                     "train_loss": round(tr_loss, 6), "val_loss": round(dv_loss, 4),
                                     "val_acc": round(1 - dv_err, 4), "chance_acc": 0.5, "n_train": n_train}))
