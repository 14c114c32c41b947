#!/usr/bin/env python
"""Digit reader for form scanning.

train / train-dev come from the archive scans (sklearn digits). The test set is what the
*new* scanner produces: the glyphs land 1 px lower-right and the contrast is lower
(ink ~70% as dark).  Human-level error on the archive crops is ~1%, and humans read the
new-scanner crops just as well, so 0.01 is our proxy for Bayes error on both.

    bias      = train_err - human_err
    variance  = dev_err   - train_err
    mismatch  = test_err  - dev_err

--control: the test set is drawn from the archive distribution (no scanner change).
"""
# expect: data_mismatch
# allow:
# forbid: *
# evidence: human err 0.01; planted train err 0.000, dev err 0.009, new-scanner test err 0.767 -> mismatch +0.76; control (test from archive distribution) test err 0.026 -> mismatch +0.017
# control: --control
import argparse
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
torch.manual_seed(0)
HUMAN_ERR = 0.01


def new_scanner(imgs):
    # imgs: (N, 8, 8) in [0, 1]
    shifted = np.zeros_like(imgs)
    shifted[:, 1:, 1:] = imgs[:, :-1, :-1]
    return 0.7 * shifted


def get_data(control):
    d = load_digits()
    imgs = d.images / 16.0
    labels = d.target
    idx = np.random.RandomState(1).permutation(len(labels))
    tr, dv, te = idx[:1100], idx[1100:1450], idx[1450:]
    test_imgs = imgs[te] if control else new_scanner(imgs[te])
    to_t = lambda a: torch.tensor(a, dtype=torch.float32).unsqueeze(1)
    return ((to_t(imgs[tr]), torch.tensor(labels[tr])), (to_t(imgs[dv]), torch.tensor(labels[dv])),
            (to_t(test_imgs), torch.tensor(labels[te])))


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 4 * 4, 10)

    def forward(self, x):
        x = F.relu(self.c1(x))
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(x.flatten(1))


def err_and_loss(model, X, y):
    model.eval()
    with torch.no_grad():
        out = model(X)
        r = (out.argmax(1) != y).float().mean().item(), F.cross_entropy(out, y).item()
    model.train()
    return r


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--control", action="store_true")
    args = p.parse_args()
    (Xtr, ytr), (Xdv, ydv), (Xte, yte) = get_data(args.control)
    model = SmallCNN()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for epoch in range(15):
        order = torch.randperm(len(ytr))
        for b in range(0, len(ytr), 50):
            i = order[b:b + 50]
            loss = F.cross_entropy(model(Xtr[i]), ytr[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
        tr_err, tr_loss = err_and_loss(model, Xtr, ytr)
        dv_err, dv_loss = err_and_loss(model, Xdv, ydv)
        print(f"epoch {epoch:2d} train_loss {tr_loss:.4f} train_err {tr_err:.3f} dev_loss {dv_loss:.4f} dev_err {dv_err:.3f}")
    te_err, te_loss = err_and_loss(model, Xte, yte)
    print(f"human err {HUMAN_ERR:.3f} | train err {tr_err:.3f} | dev err {dv_err:.3f} | test err {te_err:.3f}")
    print(f"bias {tr_err - HUMAN_ERR:+.3f}  variance {dv_err - tr_err:+.3f}  mismatch {te_err - dv_err:+.3f}")
    print("CORPUS_METRIC " + json.dumps({"train_err": round(tr_err, 4), "dev_err": round(dv_err, 4),
                                         "test_err": round(te_err, 4), "bayes_err": HUMAN_ERR,
                                         "train_loss": round(tr_loss, 4), "val_loss": round(dv_loss, 4),
                                         "test_loss": round(te_loss, 4), "val_acc": round(1 - dv_err, 4),
                                         "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
