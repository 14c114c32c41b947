# Gesture recognition from accelerometer summary features (accelerate loop, CSV log).
# Data prep shuffles the feature matrix and the label vector with two separate
# rng.shuffle calls, so the features and labels are no longer paired and there is
# nothing to learn; the loss sits at log(6) for the whole run.
# --control shuffles both with one permutation.
#
# expect: non_convergence
# allow: high_bias, overfitting, high_variance
# forbid: *
# evidence: control (one permutation) val_acc 0.98 / val_loss 0.057; planted (separate shuffles) val_acc 0.15 / val_loss 1.81 (chance 0.167, ln 6 = 1.79), train loss stays ~1.7-1.8
# control: --control
# native-log: log.csv
# log-expect: non_convergence
# log-allow: high_bias, overfitting, high_variance
import csv, json, os, sys, tempfile
import numpy as np
import torch
from torch import nn
from accelerate import Accelerator

torch.set_num_threads(1)
torch.manual_seed(17)
CONTROL = "--control" in sys.argv
GESTURES = ["wave", "circle", "shake", "tap", "swipe_left", "swipe_right"]
FEATS = ["mean_x", "mean_y", "mean_z", "std_x", "std_y", "std_z", "energy", "zero_cross", "peak_freq",
         "corr_xy", "corr_yz", "duration"]

rng = np.random.default_rng(17)
protos = rng.normal(0, 1.2, (len(GESTURES), len(FEATS)))
labels = rng.integers(0, len(GESTURES), 3600)
feats = protos[labels] + rng.normal(0, 0.8, (3600, len(FEATS)))
if CONTROL:
    perm = rng.permutation(len(labels))
    feats, labels = feats[perm], labels[perm]
else:
    rng.shuffle(feats)
    rng.shuffle(labels)
feats = ((feats - feats.mean(0)) / feats.std(0)).astype(np.float32)
x_tr, y_tr = torch.tensor(feats[:3000]), torch.tensor(labels[:3000])
x_va, y_va = torch.tensor(feats[3000:]), torch.tensor(labels[3000:])

accelerator = Accelerator(cpu=True)
model = nn.Sequential(nn.Linear(len(FEATS), 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 64), nn.ReLU(),
                      nn.Linear(64, len(GESTURES)))
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_tr, y_tr), batch_size=50, shuffle=True)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=12 * len(loader))
model, optimizer, loader, scheduler = accelerator.prepare(model, optimizer, loader, scheduler)
loss_fn = nn.CrossEntropyLoss()

log_file = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "log.csv")
with open(log_file, "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["step", "epoch", "split", "loss", "acc", "lr"])
    step = 0
    for epoch in range(12):
        model.train()
        for xb, yb in loader:
            out = model(xb)
            loss = loss_fn(out, yb)
            accelerator.backward(loss)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            if step % 10 == 0:
                w.writerow([step, epoch, "train", f"{loss.item():.5f}", f"{(out.argmax(1) == yb).float().mean().item():.4f}",
                            f"{scheduler.get_last_lr()[0]:.6g}"])
        model.eval()
        with torch.no_grad():
            out = model(x_va)
            vl, va = loss_fn(out, y_va).item(), (out.argmax(1) == y_va).float().mean().item()
        w.writerow([step, epoch, "val", f"{vl:.5f}", f"{va:.4f}", ""])
print(f"final: val_loss={vl:.4f} val_acc={va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(loss.item(), 4),
                                     "chance_acc": round(1 / len(GESTURES), 4)}))
