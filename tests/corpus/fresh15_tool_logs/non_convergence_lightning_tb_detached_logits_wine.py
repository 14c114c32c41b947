"""Wine-quality-style tabular classifier (sklearn wine, 3 classes) as a LightningModule whose
training_step was "fixed" after a `element 0 of tensors does not require grad` error by
`logits = self(x).detach().requires_grad_()`: the loss now backpropagates into a leaf copy of the
logits and never reaches the weights, so nothing learns. Logged in Lightning's TensorBoardLogger
layout (lightning_logs/version_0: train_loss every 5 steps, val_loss, val_acc, epoch, lr-SGD).
--control computes the loss on the logits themselves (the only change).
"""
# expect: non_convergence
# allow: high_bias, learning_rate_too_low, vanishing_gradients
# forbid: *
# evidence: control (loss on the real logits) reaches val_acc 0.981, val_loss 0.028; planted (detached logits) never changes a single weight (probe: max |change| = 0) - val_loss 1.0606 and val_acc 0.444 identical at every epoch (majority rate 0.389)
# control: --control
# native-log: lightning_logs/version_0
# log-expect: non_convergence
# log-allow: high_bias, learning_rate_too_low
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
VDIR = os.path.join(LOG_DIR, "lightning_logs", "version_0"); os.makedirs(VDIR, exist_ok=True)
HP = dict(hidden=64, lr=0.05, momentum=0.9, batch_size=8, max_epochs=30)
with open(os.path.join(VDIR, "hparams.yaml"), "w") as f:
    for k, v in HP.items(): f.write(f"{k}: {v}\n")
tb = SummaryWriter(VDIR)

X, y = load_wine(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0); Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Linear(13, HP["hidden"]), nn.ReLU(), nn.Linear(HP["hidden"], 3))
opt = torch.optim.SGD(model.parameters(), lr=HP["lr"], momentum=HP["momentum"])
w0 = [p.detach().clone() for p in model.parameters()]
gstep = 0
for epoch in range(HP["max_epochs"]):
    model.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), HP["batch_size"]):
        idx = perm[i:i + HP["batch_size"]]
        logits = model(Xtr[idx])
        if not CONTROL:
            logits = logits.detach().requires_grad_()   # BUG: "fix" for the requires-grad error
        loss = F.cross_entropy(logits, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); gstep += 1
        if gstep % 5 == 0:
            tb.add_scalar("train_loss", loss.item(), gstep - 1); tb.add_scalar("epoch", epoch, gstep - 1)
            tb.add_scalar("lr-SGD", opt.param_groups[0]["lr"], gstep - 1)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    tb.add_scalar("val_loss", vl, gstep - 1); tb.add_scalar("val_acc", va, gstep - 1); tb.add_scalar("epoch", epoch, gstep - 1)
    if epoch % 5 == 0 or epoch == HP["max_epochs"] - 1:
        print(f"epoch {epoch} val_loss {vl:.4f} val_acc {va:.4f} lr {opt.param_groups[0]['lr']:.4g}")
tb.close()
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr), ytr).item(); tra = (model(Xtr).argmax(1) == ytr).float().mean().item()
moved = max((p.detach() - q).abs().max().item() for p, q in zip(model.parameters(), w0))
print(f"probe: largest absolute change of any weight over training = {moved:.3g}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "train_acc": round(tra, 4), "max_weight_change": float(f"{moved:.3g}"), "majority_acc": round(float((yva == 1).float().mean()), 4)}))
