# expect:
# allow:
# forbid: *
# evidence: 3-arm spiral (chance 0.33): val_acc 1.000, val_loss 0.0008, train_loss <1e-4 after 60 epochs of OneCycle AdamW
# native-log: runs/spiral_onecycle
# log-expect:
# log-allow:
"""3-arm spiral, MLP, AdamW + OneCycleLR. Logged with torch.utils.tensorboard.SummaryWriter
(tags Loss/train, Loss/val, Accuracy/train, Accuracy/val, lr-AdamW)."""
import argparse, json, math, os, tempfile
import torch
import torch.nn as nn
from torch.utils.tensorboard import SummaryWriter

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=60)
parser.add_argument("--lr", type=float, default=1e-2)
parser.add_argument("--bs", type=int, default=64)
args = parser.parse_args()

torch.manual_seed(7)
torch.set_num_threads(1)


def spiral(n_per, k=3, noise=0.15):
    xs, ys = [], []
    for c in range(k):
        r = torch.linspace(0.05, 1, n_per)
        t = torch.linspace(c * 4, (c + 1) * 4, n_per) + noise * torch.randn(n_per)
        xs.append(torch.stack([r * torch.sin(t), r * torch.cos(t)], 1))
        ys.append(torch.full((n_per,), c))
    return torch.cat(xs), torch.cat(ys)


X, Y = spiral(700)
perm = torch.randperm(len(X))
X, Y = X[perm], Y[perm]
Xtr, Ytr, Xva, Yva = X[:1600], Y[:1600], X[1600:], Y[1600:]


class SpiralNet(nn.Module):
    def __init__(self, h=96):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(2, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU())
        self.head = nn.Linear(h, 3)

    def forward(self, x):
        return self.head(self.body(x))


model = SpiralNet()
crit = nn.CrossEntropyLoss()
opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
spe = math.ceil(len(Xtr) / args.bs)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs * spe)
logdir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "runs", "spiral_onecycle")
writer = SummaryWriter(logdir)

gstep = 0
for ep in range(args.epochs):
    model.train()
    p = torch.randperm(len(Xtr))
    for i in range(spe):
        idx = p[i * args.bs:(i + 1) * args.bs]
        loss = crit(model(Xtr[idx]), Ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        gstep += 1
    model.eval()
    with torch.no_grad():
        otr, ova = model(Xtr), model(Xva)
        tl, vl = crit(otr, Ytr).item(), crit(ova, Yva).item()
        ta = (otr.argmax(1) == Ytr).float().mean().item()
        va = (ova.argmax(1) == Yva).float().mean().item()
    writer.add_scalar("Loss/train", tl, gstep)
    writer.add_scalar("Loss/val", vl, gstep)
    writer.add_scalar("Accuracy/train", ta, gstep)
    writer.add_scalar("Accuracy/val", va, gstep)
    writer.add_scalar("lr-AdamW", sched.get_last_lr()[0], gstep)
    if ep % 10 == 9:
        print(f"ep {ep+1}: loss {tl:.4f}/{vl:.4f} acc {ta:.3f}/{va:.3f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.3333}))
