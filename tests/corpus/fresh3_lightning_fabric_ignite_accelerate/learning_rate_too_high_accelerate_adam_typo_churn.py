# expect: learning_rate_too_high
# allow: non_convergence, dead_units, exploding_gradients, high_bias
# forbid: *
# evidence: planted (Adam lr 0.1) val_acc swings 0.70-0.95 between epochs and ends at 0.620 (val_loss 1.03), 47% of ReLUs dead; control (lr 1e-3) val_acc 0.980, val_loss 0.057, 0.4% dead (chance 0.167)
# control: --control
# native-log: churn_metrics.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, high_bias
"""Customer-segment prediction (6 segments) from 18 standardised account features, MLP 18-128-128-6
trained with Adam in an accelerate loop (accelerator.prepare / accelerator.backward). The config says
lr: 1e-1 -- meant to be 1e-3 (a typo that survives because Adam "never diverges"). Adam's
normalised steps of ~0.1 per weight keep kicking the network around: the loss plateaus high and
noisy, many ReLUs get knocked dead, and held-out accuracy stays far below what the same model
reaches with lr 1e-3. --control sets lr=1e-3 (nothing else changes). Metrics go to a CSV written by
the loop (step, epoch, train_loss, val_loss, val_acc, lr).
"""
import argparse
import csv
import json
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
D, K = 18, 6


def segments(n, g, centres, mix):
    y = torch.randint(0, K, (n,), generator=g)
    z = centres[y] + torch.randn(n, D, generator=g)
    x = torch.tanh(z @ mix) * 2 + 0.1 * torch.randn(n, D, generator=g)
    return (x - x.mean(0)) / x.std(0), y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    set_seed(23)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="churn_")
    os.makedirs(log_dir, exist_ok=True)
    g = torch.Generator().manual_seed(23)
    centres = 1.3 * torch.randn(K, D, generator=g)
    mix = torch.randn(D, D, generator=g) / D ** 0.5
    xtr, ytr = segments(3000, g, centres, mix)
    xva, yva = segments(1000, g, centres, mix)
    lr = 1e-3 if args.control else 1e-1
    accelerator = Accelerator(cpu=True)
    model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, K))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model, opt, dl = accelerator.prepare(model, opt, dl)
    step = 0
    with open(os.path.join(log_dir, "churn_metrics.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["step", "epoch", "train_loss", "val_loss", "val_acc", "lr"])
        for epoch in range(12):
            model.train()
            for x, y in dl:
                loss = F.cross_entropy(model(x), y)
                opt.zero_grad()
                accelerator.backward(loss)
                opt.step()
                if step % 10 == 0:
                    w.writerow([step, epoch, f"{loss.item():.5f}", "", "", lr])
                step += 1
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            w.writerow([step, epoch, "", f"{F.cross_entropy(lv, yva).item():.5f}",
                        f"{(lv.argmax(1) == yva).float().mean().item():.5f}", lr])
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
        h = model[1](model[0](xva))
        h2 = model[3](model[2](h))
    dead = torch.cat([(h > 0).sum(0) == 0, (h2 > 0).sum(0) == 0]).float().mean().item()
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "dead_relu_frac": round(dead, 4),
        "chance_acc": round(1 / K, 4),
    }))


if __name__ == "__main__":
    main()
