"""Planted learning_rate_too_high: Lightning Fabric, multi-label digit tagging with SGD at lr 0.8.

Each 8x8 sklearn digit gets four binary tags (even, greater than 4, prime, has a closed loop);
an MLP with BCEWithLogitsLoss is trained through Fabric (fabric.setup, fabric.backward) with
SGD + momentum 0.9, and fabric.log_dict writes step and epoch metrics to Fabric's CSVLogger.
The planted cause: lr=0.8 (a slipped decimal point; 0.08 was meant). The loss first drops, then
the oversized momentum updates throw the network out of its basin (loss jumps back up), and it
ends at the base-rate level with tags no better than base rates. --control uses lr=0.08.
"""
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, dead_units, non_finite, high_bias
# forbid: *
# evidence: planted (lr 0.8): val_loss 0.19 after epoch 1, jumps to 0.54 at epoch 2 and ends 0.685 ~ base-rate loss 0.682, tag-acc 0.55 = base rate; control (lr 0.08): val_loss 0.021, tag-acc 0.993
# control: --control
# native-log: fabric_logs/metrics.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, exploding_gradients, non_finite, high_bias
import os, sys, json, random, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning").setLevel(logging.ERROR)
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
random.seed(20); np.random.seed(20); torch.manual_seed(20)
from lightning.fabric import Fabric
from lightning.fabric.loggers import CSVLogger
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
CONTROL = "--control" in sys.argv
LR = 0.08 if CONTROL else 0.8

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_tags_")
os.makedirs(LOG_DIR, exist_ok=True)

X, d = load_digits(return_X_y=True)
tags = np.stack([d % 2 == 0, d > 4, np.isin(d, [2, 3, 5, 7]), np.isin(d, [0, 6, 8, 9])], 1).astype(np.float32)
X = ((X / 16.0) - 0.5) / 0.5
Xtr, Xva, Ytr, Yva = train_test_split(X.astype(np.float32), tags, test_size=0.25, random_state=20)
Xtr, Xva, Ytr, Yva = map(torch.tensor, (Xtr, Xva, Ytr, Yva))

fabric = Fabric(accelerator="cpu", devices=1, loggers=CSVLogger(root_dir=LOG_DIR, name="fabric_logs", version=""))
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 4))
opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
model, opt = fabric.setup(model, opt)
train_dl = fabric.setup_dataloaders(torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, Ytr), batch_size=32, shuffle=True))

step, ratios, step_losses = 0, [], []
for epoch in range(15):
    model.train(); tot = n = 0
    for xb, yb in train_dl:
        loss = F.binary_cross_entropy_with_logits(model(xb), yb)
        opt.zero_grad(); fabric.backward(loss)
        before = [p.detach().clone() for p in model.parameters()]
        opt.step()
        ratios.append(float(np.mean([((p.detach() - b).norm() / (b.norm() + 1e-12)).item() for p, b in zip(model.parameters(), before)])))
        tot += loss.item() * len(yb); n += len(yb); step_losses.append(loss.item())
        if step % 5 == 0:
            fabric.log_dict({"train_loss_step": loss.item(), "lr": opt.param_groups[0]["lr"]}, step=step)
        step += 1
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = F.binary_cross_entropy_with_logits(out, Yva).item(); va = ((out > 0).float() == Yva).float().mean().item()
    fabric.log_dict({"epoch": epoch, "train_loss_epoch": tot / n, "val_loss": vl, "val_tag_acc": va}, step=step)
    print(f"epoch {epoch} train {tot/n:.4f} val_loss {vl:.4f} tag_acc {va:.3f}")
fabric.loggers[0].finalize("success")

base = Ytr.mean(0)
base_loss = F.binary_cross_entropy(base.expand_as(Yva), Yva).item()
late = step_losses[len(step_losses) // 2:]
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_tag_acc": round(va, 4), "train_loss": round(tot / n, 4),
                                     "base_rate_val_loss": round(base_loss, 4), "base_rate_tag_acc": round(float(torch.maximum(base, 1 - base).mean()), 4),
                                     "median_update_ratio": float(f"{np.median(ratios):.3g}"),
                                     "late_step_loss_min_max": [round(min(late), 3), round(max(late), 3)], "lr": LR}))
