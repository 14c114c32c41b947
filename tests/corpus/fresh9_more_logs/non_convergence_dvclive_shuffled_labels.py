# expect: non_convergence
# allow: high_bias, overfitting
# forbid: *
# evidence: planted (X and y shuffled with independent permutations): train_loss stays 2.30 -> 2.22, train acc 0.20, val_loss 2.19, val_acc 0.21 after 20 epochs (chance 0.10); control (joint permutation): train_loss 0.14, val_loss 0.13, val_acc 0.967
# control: --control
# native-log: dvclive
# log-expect: non_convergence
# log-allow: high_bias, overfitting
"""Bug: the training images and labels were shuffled with two different permutations
(np.random.shuffle(X); np.random.shuffle(y)), so labels are unrelated to inputs.
DVCLive-style folder (real dvclive TSV layout: timestamp, step, value)."""
import argparse
import json
import os
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits


def tsv_append(root, name, step, value):
    p = os.path.join(root, "plots", "metrics", name + ".tsv")
    os.makedirs(os.path.dirname(p), exist_ok=True)
    fresh = not os.path.exists(p)
    with open(p, "a") as f:
        if fresh:
            f.write("timestamp\tstep\t" + os.path.basename(name) + "\n")
        f.write(f"{int(time.time() * 1000)}\t{step}\t{value}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(83)
    np.random.seed(83)

    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    order = np.random.RandomState(0).permutation(len(X))  # fixed split, done correctly
    X, y = X[order], y[order]
    Xtr, ytr, Xva, yva = X[:1400].copy(), y[:1400].copy(), X[1400:], y[1400:]
    if args.control:
        p = np.random.permutation(len(Xtr))
        Xtr, ytr = Xtr[p], ytr[p]
    else:
        np.random.shuffle(Xtr)
        np.random.shuffle(ytr)  # <- independent permutation: labels no longer match images

    root = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "dvclive")
    os.makedirs(root, exist_ok=True)
    xt, yt = torch.from_numpy(Xtr), torch.from_numpy(ytr)
    xv, yv = torch.from_numpy(Xva), torch.from_numpy(yva)
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-3)
    lossf = nn.CrossEntropyLoss()
    for step in range(20):
        model.train()
        tot = 0.0
        for b in torch.randperm(len(xt)).split(32):
            l = lossf(model(xt[b]), yt[b])
            opt.zero_grad()
            l.backward()
            opt.step()
            tot += l.item() * len(b)
        model.eval()
        with torch.no_grad():
            o = model(xv)
            vl = lossf(o, yv).item()
            va = (o.argmax(1) == yv).float().mean().item()
            ta = (model(xt).argmax(1) == yt).float().mean().item()
        tl = tot / len(xt)
        for k, v in [("train/loss", tl), ("train/acc", ta), ("val/loss", vl), ("val/acc", va)]:
            tsv_append(root, k, step, round(v, 6))
        with open(os.path.join(root, "metrics.json"), "w") as f:
            json.dump({"step": step, "train": {"loss": tl, "acc": ta}, "val": {"loss": vl, "acc": va}}, f, indent=4)
        print(f"step {step}: train loss {tl:.4f} acc {ta:.3f} | val loss {vl:.4f} acc {va:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                         "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
