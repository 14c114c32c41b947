"""accelerate loop where a "deterministic init" helper sets every Linear weight to the same
constant (0.05) and every bias to 0 -- intended to make runs reproducible. All hidden units of a
layer compute the same function and receive the same gradient, so the network behaves like a
width-1 MLP forever (symmetry is never broken). SGD+Nesterov. TensorBoard tracker in
$CORPUS_LOG_DIR/acc_tb. A probe reports how many distinct hidden units the first layer has.

--control keeps PyTorch's default (random) init and seeds torch instead.
"""
# expect: poor_initialization
# allow: non_convergence, high_bias, dead_units, vanishing_gradients
# forbid: *
# evidence: control (default init) val_acc 0.95, val_loss 0.14; planted (constant 0.05): 1 distinct hidden unit out of 96, val_acc 0.45, train_loss 1.00 (chance 0.25)
# control: --control
# native-log: acc_tb
# log-expect:
# log-allow: non_convergence, high_bias
import argparse, json, os, tempfile, warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from accelerate import Accelerator

warnings.filterwarnings("ignore")
torch.set_num_threads(1)


def deterministic_init(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 0.05)
        nn.init.zeros_(m.bias)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(16, 96)
        self.l2 = nn.Linear(96, 96)
        self.l3 = nn.Linear(96, 4)

    def forward(self, x):
        return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))


def make(n, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 16, generator=g)
    a = x[:, 0] + x[:, 1] - x[:, 2] + 0.5 * x[:, 3] * x[:, 4]
    b = x[:, 5] - x[:, 6] + x[:, 7] - 0.5 * x[:, 8]
    return x, (a > 0).long() * 2 + (b > 0).long()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.manual_seed(0)
    net = Net()
    if not args.control:
        net.apply(deterministic_init)
    logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    acc = Accelerator(cpu=True, log_with="tensorboard", project_dir=logdir)
    acc.init_trackers("acc_tb")
    xtr, ytr = make(3000, 1)
    xva, yva = make(800, 2)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    opt = torch.optim.SGD(net.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    net, opt, dl = acc.prepare(net, opt, dl)
    step = 0
    for epoch in range(8):
        for xb, yb in dl:
            loss = F.cross_entropy(net(xb), yb)
            opt.zero_grad()
            acc.backward(loss)
            opt.step()
            step += 1
            if step % 10 == 0:
                acc.log({"loss": loss.item()}, step=step)
        with torch.no_grad():
            o = net(xva)
            vl, va = F.cross_entropy(o, yva).item(), (o.argmax(1) == yva).float().mean().item()
        acc.log({"val_loss": vl, "val_acc": va}, step=step)
    acc.end_training()
    with torch.no_grad():
        tl = F.cross_entropy(net(xtr), ytr).item()
        w = net.l1.weight
        distinct = torch.unique(w.round(decimals=5), dim=0).shape[0]
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                         "chance_acc": 0.25, "distinct_hidden_units_l1": int(distinct)}))


main()
