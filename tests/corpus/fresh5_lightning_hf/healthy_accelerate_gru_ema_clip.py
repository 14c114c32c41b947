"""accelerate loop for a GRU sequence classifier (is the running sum of a +-1 sequence ever
above 3?), with an exponential moving average of the weights (torch.optim.swa_utils.AveragedModel)
used for evaluation, gradient clipping via accelerator.clip_grad_norm_, and warm-up + cosine decay
(LambdaLR). Metrics go to the TensorBoard tracker in $CORPUS_LOG_DIR/acc_tb.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_acc of the EMA model 1.00 (majority rate 0.505), val_loss 0.003; train loss 0.003 (fits hard, generalises)
# native-log: acc_tb
# log-expect:
# log-allow:
import json
import math
import os
import tempfile
import warnings

import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
from torch.utils.data import DataLoader, TensorDataset
from accelerate import Accelerator
from accelerate.utils import set_seed

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
SEQ = 20


def walks(n, seed):
    g = torch.Generator().manual_seed(seed)
    steps = torch.randint(0, 2, (n, SEQ), generator=g) * 2 - 1
    y = (steps.cumsum(1).max(1).values >= 3).long()
    return steps.float().unsqueeze(-1), y


class WalkGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 48, batch_first=True)
        self.fc = nn.Linear(48, 2)

    def forward(self, x):
        _, h = self.gru(x)
        return self.fc(h[-1])


set_seed(1)
accel = Accelerator(cpu=True, log_with="tensorboard", project_dir=os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp())
accel.init_trackers("acc_tb")
xtr, ytr = walks(3000, 0)
xva, yva = walks(800, 1)
model = WalkGRU()
ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.98))
opt = torch.optim.Adam(model.parameters(), lr=4e-3)
loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
EPOCHS, WARM = 6, 40
TOTAL = EPOCHS * len(loader)
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / WARM if s < WARM else 0.5 * (1 + math.cos(math.pi * (s - WARM) / (TOTAL - WARM))))
model, opt, loader, sched = accel.prepare(model, opt, loader, sched)
crit = nn.CrossEntropyLoss()
step = 0
for ep in range(EPOCHS):
    model.train()
    for xb, yb in loader:
        loss = crit(model(xb), yb)
        opt.zero_grad()
        accel.backward(loss)
        gnorm = accel.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        ema.update_parameters(model)
        step += 1
        if step % 10 == 0:
            accel.log({"train_loss": loss.item(), "grad_norm": float(gnorm), "lr": sched.get_last_lr()[0]}, step=step)
    with torch.no_grad():
        out = ema(xva)
        vl, va = crit(out, yva).item(), (out.argmax(1) == yva).float().mean().item()
    accel.log({"val_loss": vl, "val_acc": va}, step=step)
accel.end_training()
with torch.no_grad():
    tl = crit(ema(xtr), ytr).item()
maj = max(yva.float().mean().item(), 1 - yva.float().mean().item())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(maj, 4)}))
