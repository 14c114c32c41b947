"""Semi-supervised digits classifier: cross-entropy on 200 labelled images plus an
entropy-minimisation term on the unlabelled ones, written by hand as
    H = -(p * torch.log(p)).sum(1),  p = softmax(logits / T)  with a sharpening T = 0.5.
Entropy minimisation pushes the predictions to be confident, so logit gaps keep
growing; once a gap (divided by T) exceeds ~104 the smaller probabilities underflow to exactly 0
in float32, log(0) = -inf and 0 * -inf = NaN. The NaN loss poisons every weight
on the next step and the model collapses.
--control computes the same entropy with log_softmax (finite for any logits);
nothing else changes.
"""
# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: control val_acc 0.920 / val_loss 0.55 after 16 epochs (0.91-0.95 over the last epochs); planted: first NaN loss at step 146 (epoch 8) when the max logit gap reached ~52 (gap/T ~104), train and val loss NaN and val_acc 0.10 (chance 0.10) from then on; before the NaN the planted run matched the control (val_acc 0.938 at epoch 7)
# control: --control
# native-log: semisup/train_log.csv
# log-expect: non_finite
# log-allow: non_convergence
import argparse
import csv
import json
import math
import os
import random
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


SHARPEN_T = 0.5  # temperature < 1 sharpens the unlabelled predictions


def entropy_naive(logits):
    p = F.softmax(logits / SHARPEN_T, dim=1)
    return -(p * torch.log(p)).sum(1).mean()


def entropy_stable(logits):
    logp = F.log_softmax(logits / SHARPEN_T, dim=1)
    return -(logp.exp() * logp).sum(1).mean()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    random.seed(25)
    np.random.seed(25)
    torch.manual_seed(25)
    entropy = entropy_stable if args.control else entropy_naive

    X, y = load_digits(return_X_y=True)
    X = (X / 16.0 - 0.3) / 0.4
    Xrest, Xva, yrest, yva = train_test_split(X, y, test_size=0.25, random_state=25, stratify=y)
    Xl, yl = torch.tensor(Xrest[:200], dtype=torch.float32), torch.tensor(yrest[:200])
    Xu = torch.tensor(Xrest[200:], dtype=torch.float32)
    Xva, yva = torch.tensor(Xva, dtype=torch.float32), torch.tensor(yva)

    model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    lam = 1.0
    log_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "semisup")
    os.makedirs(log_dir, exist_ok=True)
    fh = open(os.path.join(log_dir, "train_log.csv"), "w", newline="")
    wr = csv.writer(fh)
    wr.writerow(["epoch", "step", "train_loss", "sup_loss", "entropy", "val_loss", "val_acc"])
    step, first_nan = 0, None
    for ep in range(16):
        model.train()
        permu = torch.randperm(len(Xu))
        tot, sup_tot, ent_tot, nb = 0.0, 0.0, 0.0, 0
        for i in range(0, len(permu), 64):
            bl = torch.randint(0, len(Xl), (32,))
            sup = F.cross_entropy(model(Xl[bl]), yl[bl])
            ent = entropy(model(Xu[permu[i:i + 64]]))
            loss = sup + lam * ent
            if first_nan is None and not math.isfinite(loss.item()):
                first_nan = step
                print(f"first non-finite loss at step {step} (epoch {ep})")
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item()
            sup_tot += sup.item()
            ent_tot += ent.item()
            nb += 1
            step += 1
        model.eval()
        with torch.no_grad():
            out = model(Xva)
            vl = F.cross_entropy(out, yva).item()
            va = (out.argmax(1) == yva).float().mean().item()
        wr.writerow([ep, step, f"{tot / nb:.5f}", f"{sup_tot / nb:.5f}", f"{ent_tot / nb:.5f}", f"{vl:.5f}", f"{va:.4f}"])
        print(f"epoch {ep} train_loss {tot / nb:.4f} sup {sup_tot / nb:.4f} entropy {ent_tot / nb:.4f} "
              f"val_loss {vl:.4f} val_acc {va:.4f} max_logit_gap {(out.max(1).values - out.min(1).values).max():.1f}")
    fh.close()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4) if math.isfinite(vl) else None, "val_acc": round(va, 4),
                                        "train_loss": round(tot / nb, 4) if math.isfinite(tot) else None,
                                        "chance_acc": 0.1, "first_nan_step": first_nan}))


if __name__ == "__main__":
    main()
