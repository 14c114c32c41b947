# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units
# forbid: *
# evidence: control (SGD lr=0.05) reaches val_acc 0.996, val_loss 0.006, train_loss 0.0004; planted (lr=1.5) stays at chance: val_acc 0.206 (chance 0.20), val_loss 1.64, train_loss oscillating 1.61-1.79 for all 25 epochs
# control: --control
# native-log: tb/sgd_run
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, exploding_gradients
# tabular 5-class MLP, plain SGD+momentum. Someone copied lr=1.5 from a linear-probe config.
import sys, os, json, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(3)
torch.set_num_threads(1)
LR = 0.05 if "--control" in sys.argv else 1.5

# data: 5 gaussian blobs in 12-d pushed through a fixed random nonlinearity
centers = torch.randn(5, 12) * 2.0
def sample(n):
    y = torch.randint(0, 5, (n,))
    x = centers[y] + torch.randn(n, 12)
    return torch.tanh(x) + 0.3 * x, y
xtr, ytr = sample(2500)
xva, yva = sample(800)

net = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 5))
opt = torch.optim.SGD(net.parameters(), lr=LR, momentum=0.9)
tb = SummaryWriter(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "tb", "sgd_run"))

it = 0
for epoch in range(25):
    net.train()
    perm = torch.randperm(len(xtr))
    for k in range(0, len(xtr), 50):
        b = perm[k:k + 50]
        loss = F.cross_entropy(net(xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        if it % 25 == 0:
            tb.add_scalar("Train/Loss", loss.item(), it)
            tb.add_scalar("Train/LR", opt.param_groups[0]["lr"], it)
        it += 1
    net.eval()
    with torch.no_grad():
        tr_loss = F.cross_entropy(net(xtr), ytr).item()
        lo = net(xva)
        val_loss = F.cross_entropy(lo, yva).item()
        val_acc = (lo.argmax(1) == yva).float().mean().item()
    tb.add_scalar("Val/Loss", val_loss, it)
    tb.add_scalar("Val/Acc", val_acc, it)
    print(f"epoch {epoch} train_loss={tr_loss:.4f} val_loss={val_loss:.4f} val_acc={val_acc:.3f}")
tb.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": val_loss, "val_acc": val_acc, "train_loss": tr_loss, "chance_acc": 0.2}))
