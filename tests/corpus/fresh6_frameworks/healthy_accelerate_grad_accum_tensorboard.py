# expect:
# allow:
# forbid: *
# evidence: 10-class prototypes, accum 4, clip 1.0, warm-up + linear decay: val_acc 0.960 (chance 0.10), val_loss 0.120 (plateau), train_loss 0.065
# native-log: tb/blobs_run
# log-expect:
# log-allow:
"""accelerate: Accelerator(gradient_accumulation_steps=4, log_with="tensorboard"), accelerator.prepare,
accelerator.accumulate / accelerator.backward / clip_grad_norm_, linear warm-up then linear decay
(transformers-style get_scheduler is not used; a LambdaLR), accelerator.log of train loss, lr and
held-out metrics. Task: 10-class classification of noisy 32-d points around 10 gaussian prototypes
(small noisy micro-batches of 16)."""
import os
import json
import tempfile
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from accelerate import Accelerator
from accelerate.utils import set_seed

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
set_seed(5)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="acc_")
D, C = 32, 10

g = torch.Generator().manual_seed(5)
protos = torch.randn(C, D, generator=g) * 0.7


def sample(n):
    y = torch.randint(0, C, (n,), generator=g)
    return protos[y] + torch.randn(n, D, generator=g), y


Xtr, Ytr = sample(4000)
Xva, Yva = sample(800)

accelerator = Accelerator(gradient_accumulation_steps=4, log_with="tensorboard", project_dir=os.path.join(LOG_DIR, "tb"), cpu=True)
accelerator.init_trackers("blobs_run", config={"lr": 2e-3, "accum": 4, "batch_size": 16})

model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, C))
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
train_dl = DataLoader(TensorDataset(Xtr, Ytr), batch_size=16, shuffle=True)
val_dl = DataLoader(TensorDataset(Xva, Yva), batch_size=400)
EPOCHS = 5
total_updates = EPOCHS * len(train_dl) // 4
warm = total_updates // 10
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (total_updates - s) / (total_updates - warm)))
model, opt, train_dl, val_dl, sched = accelerator.prepare(model, opt, train_dl, val_dl, sched)

step = 0
for epoch in range(EPOCHS):
    model.train()
    for x, y in train_dl:
        with accelerator.accumulate(model):
            loss = F.cross_entropy(model(x), y)
            accelerator.backward(loss)
            if accelerator.sync_gradients:
                accelerator.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
        step += 1
        if step % 20 == 0:
            accelerator.log({"train/loss": loss.item(), "train/lr": sched.get_last_lr()[0]}, step=step)
    model.eval()
    tot, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for x, y in val_dl:
            out = model(x)
            tot += F.cross_entropy(out, y, reduction="sum").item()
            correct += (out.argmax(1) == y).sum().item()
            n += len(y)
    accelerator.log({"val/loss": tot / n, "val/acc": correct / n, "epoch": epoch}, step=step)

accelerator.end_training()
with torch.no_grad():
    tr_loss = F.cross_entropy(model(Xtr), Ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(tot / n, 4), "val_acc": round(correct / n, 4),
                                     "train_loss": round(tr_loss, 4), "chance_acc": 0.1}))
