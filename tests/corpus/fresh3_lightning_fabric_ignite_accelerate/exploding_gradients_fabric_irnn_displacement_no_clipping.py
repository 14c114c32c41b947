# expect: exploding_gradients
# allow: non_finite, non_convergence, learning_rate_too_high, dead_units
# forbid: *
# evidence: planted (no clipping) total grad norm peaks at 1.4e14 (median 0.38), val_mse 0.340 = target variance (model dead after the blow-up); control (clip 1.0) val_mse 0.012, max pre-clip norm 497
# control: --control
# native-log: displacement/version_0/metrics.csv
# log-expect:
# log-allow: exploding_gradients, non_finite, non_convergence, learning_rate_too_high
"""Net displacement from 40 velocity readings (each uniform in [-1, 1]; target = their sum / sqrt(40),
a long-range integration task) with an IRNN: nn.RNN(nonlinearity="relu") with the recurrent matrix
initialised to the identity (Le et al., 2015) and a linear read-out, trained with SGD+momentum in a
Fabric loop. The IRNN recipe relies on gradient clipping; this port dropped the clipping line. In the
first epoch back-propagation through the 40 identity-ish steps multiplies the gradient up: the total
gradient norm jumps by 3-4 orders of magnitude (probe: pre-clip total gradient norm per step, logged
as grad_norm), the update throws the weights off and the model never recovers (val MSE stays at the
predict-zero level). --control restores the clipping (fabric.clip_gradients(max_norm=1.0)); nothing
else changes.
"""
import argparse
import json
import math
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

from lightning.fabric import Fabric
from lightning.fabric.loggers import CSVLogger

warnings.filterwarnings("ignore")
T = 40


def displacement(n, g):
    v = torch.rand(n, T, generator=g) * 2 - 1
    return v[:, :, None], v.sum(1, keepdim=True) / math.sqrt(T)


class IRNN(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.rnn = nn.RNN(1, hidden, nonlinearity="relu", batch_first=True)
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(torch.eye(hidden))
            self.rnn.bias_hh_l0.zero_()
            self.rnn.bias_ih_l0.zero_()
            self.rnn.weight_ih_l0.normal_(0, 0.001 ** 0.5)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h[:, -1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    ap.add_argument("--lr", type=float, default=0.01)
    args = ap.parse_args()
    torch.set_num_threads(1)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="irnn_")
    logger = CSVLogger(log_dir, name="displacement", version=0)
    fabric = Fabric(accelerator="cpu", devices=1, loggers=logger)
    fabric.launch()
    fabric.seed_everything(6)
    g = torch.Generator().manual_seed(6)
    xtr, ytr = displacement(3000, g)
    xva, yva = displacement(1000, g)
    model = IRNN()
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    model, opt = fabric.setup(model, opt)
    dl = fabric.setup_dataloaders(DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True))
    norms, step = [], 0
    for epoch in range(6):
        model.train()
        for x, y in dl:
            loss = F.mse_loss(model(x), y)
            opt.zero_grad()
            fabric.backward(loss)
            gn = math.sqrt(sum(float(p.grad.pow(2).sum()) for p in model.parameters() if p.grad is not None))
            norms.append(gn)
            if args.control:
                fabric.clip_gradients(model, opt, max_norm=1.0)
            opt.step()
            if step % 5 == 0:
                fabric.log_dict({"train_mse": loss.item(), "grad_norm": gn}, step=step)
            step += 1
        model.eval()
        with torch.no_grad():
            vm = F.mse_loss(model(xva), yva).item()
        fabric.log_dict({"val_mse": vm, "epoch": epoch}, step=step)
    logger.finalize("success")
    model.eval()
    with torch.no_grad():
        pv = model(xva)
    finite = [n for n in norms if math.isfinite(n)]
    print("CORPUS_METRIC " + json.dumps({
        "val_mse": round(F.mse_loss(pv, yva).item(), 4),
        "target_var": round(yva.var().item(), 4),
        "grad_norm_median": float(f"{sorted(finite)[len(finite) // 2]:.3g}") if finite else None,
        "grad_norm_max": float(f"{max(finite):.3g}") if finite else None,
        "nonfinite_grad_steps": len(norms) - len(finite),
    }))


if __name__ == "__main__":
    main()
