# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: planted loss first NaN at step 221 of 790, weights NaN, final val_loss NaN, val_acc 0.526 (= majority); control (BCE-with-logits) val_loss 0.250, val_acc 0.910
# control: --control
# native-log: defects_log.csv
# log-expect: non_finite
# log-allow: non_convergence
"""Binary defect detection from 24 standardised process measurements (near-separable classes), MLP
in an accelerate loop. The loss is written by hand as
    p = sigmoid(logits); loss = -(y*log(p) + (1-y)*log(1-p)).mean()
which is fine until the model becomes confident: for logits above ~17, sigmoid() returns exactly
1.0 in float32, log(1-p) = -inf, and 0 * -inf = NaN even for a correctly classified positive. The
loss (and then every weight) becomes NaN partway through training. A probe records the first step
with a non-finite loss. --control uses F.binary_cross_entropy_with_logits (the only change).
Per-step CSV written by the loop.
"""
import argparse
import csv
import json
import math
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

from accelerate import Accelerator
from accelerate.utils import set_seed

warnings.filterwarnings("ignore")
D = 24


def process(n, g, w):
    x = torch.randn(n, D, generator=g)
    s = x @ w + 0.5 * torch.sin(2 * x[:, 0]) + 0.2 * torch.randn(n, generator=g)
    return x, (s > 0.3).float()[:, None]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    set_seed(29)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="defect_")
    os.makedirs(log_dir, exist_ok=True)
    g = torch.Generator().manual_seed(29)
    w = torch.randn(D, generator=g) / D ** 0.5 * 2
    xtr, ytr = process(2500, g, w)
    xva, yva = process(1000, g, w)
    accelerator = Accelerator(cpu=True)
    model = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model, opt, dl = accelerator.prepare(model, opt, dl)

    def loss_fn(logits, y):
        if args.control:
            return F.binary_cross_entropy_with_logits(logits, y)
        p = torch.sigmoid(logits)
        return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()

    step, first_nan = 0, None
    with open(os.path.join(log_dir, "defects_log.csv"), "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["step", "epoch", "train_loss", "val_loss", "val_acc"])
        for epoch in range(10):
            model.train()
            for x, y in dl:
                loss = loss_fn(model(x), y)
                opt.zero_grad()
                accelerator.backward(loss)
                opt.step()
                if first_nan is None and not math.isfinite(loss.item()):
                    first_nan = step
                if step % 10 == 0:
                    wr.writerow([step, epoch, f"{loss.item():.6g}", "", ""])
                step += 1
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            wr.writerow([step, epoch, "", f"{F.binary_cross_entropy_with_logits(lv, yva).item():.6g}",
                         f"{((lv > 0).float() == yva).float().mean().item():.5f}"])
    model.eval()
    with torch.no_grad():
        lv = model(xva)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.binary_cross_entropy_with_logits(lv, yva).item(), 4),
        "val_acc": round(((lv > 0).float() == yva).float().mean().item(), 4),
        "first_nonfinite_step": first_nan,
        "total_steps": step,
        "majority_acc": round(max(yva.mean().item(), 1 - yva.mean().item()), 4),
    }))


if __name__ == "__main__":
    main()
