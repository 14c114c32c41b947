# expect: dead_units
# allow: non_convergence, high_bias, poor_initialization
# forbid: *
# evidence: control (zero biases) val_acc 0.878, val_loss 0.355, dead fraction 0.00/0.00; planted (bias -2.5): 100% of layer-2 ReLU units are zero for every validation input from epoch 0 on, loss flat at 1.354, val_acc 0.308 = majority class 0.308
# control: --control
# native-log: cyclic_log.jsonl
# log-expect:
# log-allow: non_convergence, high_bias
"""Wine-quality-like tabular task (synthetic 12 features, 4 classes from a teacher) with a
ReLU MLP trained by SGD + CyclicLR (triangular, printed lr). Planted cause: a custom init
function sets every hidden bias to -2.5 ("to make activations sparse"), so most ReLU units
never fire. --control uses zero biases. Probe: fraction of hidden units that are zero for
every validation input."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
log = open(os.path.join(LOG_DIR, "cyclic_log.jsonl"), "w")

g = torch.Generator().manual_seed(1)
W1, W2 = torch.randn(12, 24, generator=g), torch.randn(24, 4, generator=g)
def make(n):
    X = torch.randn(n, 12, generator=g)
    return X, (torch.tanh(X @ W1 / 3) @ W2).argmax(1)
Xtr, ytr = make(2000); Xva, yva = make(500)

model = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))
def init(m):
    if isinstance(m, nn.Linear) and m.out_features == 64:
        nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, 0.0 if CONTROL else -2.5)
model.apply(init)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
sched = torch.optim.lr_scheduler.CyclicLR(opt, base_lr=0.005, max_lr=0.05, step_size_up=100)
lossf = nn.CrossEntropyLoss()

def dead_frac():
    with torch.no_grad():
        h1 = model[1](model[0](Xva)); h2 = model[3](model[2](h1))
        return ((h1 > 0).sum(0) == 0).float().mean().item(), ((h2 > 0).sum(0) == 0).float().mean().item()

step = 0
for ep in range(12):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = lossf(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step(); step += 1; tot += loss.item() * len(idx)
    with torch.no_grad():
        out = model(Xva); vl = lossf(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    d1, d2 = dead_frac(); tl = tot / len(Xtr); lr = sched.get_last_lr()[0]
    log.write(json.dumps({"epoch": ep, "step": step, "lr": lr, "train_loss": tl, "val_loss": vl, "val_acc": va}) + "\n")
    print(f"epoch {ep} step {step} lr {lr:.4f} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f} dead_frac L1 {d1:.2f} L2 {d2:.2f}")
log.close()
chance = torch.bincount(yva).max().item() / len(yva)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(chance, 3), "dead_frac_l1": round(d1, 3), "dead_frac_l2": round(d2, 3)}))
