"""Two Gaussian classes N(+mu, I) and N(-mu, I) in 16 dims, |mu| = 1.2, equal priors.

The Bayes-optimal rule is linear and its error is Phi(-|mu|) = 0.1151 exactly, so we know
the floor without any human study. We also hold out a test set drawn a month later from the
same process, to check for mismatch. Logged to TensorBoard (scalars under loss/ and error/).
"""
# expect:
# allow:
# forbid: *
# evidence: Bayes err Phi(-1.2)=0.1151; train err 0.110, dev err 0.116, same-process test err 0.112; val loss flat at 0.269-0.270 from epoch 1 (the floor, not a stall)
# native-log: tb_gauss
# log-expect:
# log-allow:
import json
import math
import os
import tempfile

import torch
import torch.nn as nn
from torch.utils.tensorboard import SummaryWriter

torch.set_num_threads(1)
gen = torch.Generator().manual_seed(2025)
torch.manual_seed(2025)
D, MU_NORM = 16, 1.2
mu = torch.randn(D, generator=gen)
mu = mu / mu.norm() * MU_NORM
BAYES_ERR = 0.5 * math.erfc(MU_NORM / math.sqrt(2))   # Phi(-|mu|)


def draw(n):
    y = torch.randint(0, 2, (n,), generator=gen)
    x = torch.randn(n, D, generator=gen) + (2 * y - 1).unsqueeze(1).float() * mu
    return x, y.float()


x_train, y_train = draw(8000)
x_dev, y_dev = draw(2000)
x_test, y_test = draw(2000)

net = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.02, momentum=0.9, weight_decay=1e-3)
bce = nn.BCEWithLogitsLoss()
writer = SummaryWriter(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "tb_gauss"))


def measure(x, y):
    net.eval()
    with torch.no_grad():
        z = net(x).squeeze(1)
        out = bce(z, y).item(), ((z > 0).float() != y).float().mean().item()
    net.train()
    return out


gstep = 0
for epoch in range(10):
    for xb, yb in zip(x_train.split(32), y_train.split(32)):
        loss = bce(net(xb).squeeze(1), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        gstep += 1
        if gstep % 25 == 0:
            writer.add_scalar("loss/train_step", loss.item(), gstep)
    tr_loss, tr_err = measure(x_train, y_train)
    dv_loss, dv_err = measure(x_dev, y_dev)
    writer.add_scalar("loss/train", tr_loss, gstep)
    writer.add_scalar("loss/val", dv_loss, gstep)
    writer.add_scalar("error/train", tr_err, gstep)
    writer.add_scalar("error/val", dv_err, gstep)
    writer.add_scalar("error/bayes", BAYES_ERR, gstep)
    writer.add_scalar("lr", opt.param_groups[0]["lr"], gstep)

te_loss, te_err = measure(x_test, y_test)
writer.add_scalar("loss/test", te_loss, gstep)
writer.add_scalar("error/test", te_err, gstep)
writer.close()

print(f"Bayes {BAYES_ERR:.4f} | train {tr_err:.4f} | dev {dv_err:.4f} | test {te_err:.4f}")
print(f"avoidable bias {tr_err - BAYES_ERR:+.4f} variance {dv_err - tr_err:+.4f} mismatch {te_err - dv_err:+.4f}")
print("CORPUS_METRIC " + json.dumps({"train_err": round(tr_err, 4), "dev_err": round(dv_err, 4),
                                     "test_err": round(te_err, 4), "bayes_err": round(BAYES_ERR, 4),
                                     "train_loss": round(tr_loss, 4), "val_loss": round(dv_loss, 4),
                                     "test_loss": round(te_loss, 4), "val_acc": round(1 - dv_err, 4),
                                     "chance_acc": 0.5}))
