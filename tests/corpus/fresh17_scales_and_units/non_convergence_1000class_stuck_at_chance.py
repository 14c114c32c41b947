# expect: non_convergence
# allow: learning_rate_too_low, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (optimizer over the last bias only): train_loss 6.957 -> 6.950, val_loss 6.945, val_acc 0.0003 (chance loss 6.908, acc 0.001) for all 6 epochs; control (all parameters): val_loss 1.04, val_acc 0.77
# control: --control
# native-log: tb_stuck
# log-expect: non_convergence
# log-allow: high_bias, learning_rate_too_low
"""1000-class model (chance loss ln 1000 = 6.91). Bug: the optimizer is built from
model[-1].bias only (a leftover from a 'warm up the classifier bias' snippet), so the feature layers and
the classifier weights never change. Classes are balanced, so the bias can learn nothing: the loss sits at
~6.9 for the whole run. Control: optimizer over model.parameters()."""
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn
from torch.utils.tensorboard import SummaryWriter
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
K, D = 1000, 32
g = torch.Generator().manual_seed(0)
protos = torch.randn(K, D, generator=g)
def sample(n):
    y = torch.arange(K).repeat_interleave(n); return protos[y] + 1.0 * torch.randn(len(y), D, generator=g), y
Xtr, ytr = sample(10); Xva, yva = sample(3)
model = nn.Sequential(nn.Linear(D, 96), nn.ReLU(), nn.Linear(96, K))
params = model.parameters() if CONTROL else [model[-1].bias]
opt = torch.optim.Adam(params, lr=2e-3)
lossf = nn.CrossEntropyLoss()
tb = SummaryWriter(os.path.join(LOG_DIR, "tb_stuck"))
step = 0
for epoch in range(6):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 200):
        idx = perm[i:i + 200]; loss = lossf(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        if step % 10 == 0: tb.add_scalar("loss/train", loss.item(), step)
    with torch.no_grad():
        o = model(Xva); vl = lossf(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item(); trl = lossf(model(Xtr), ytr).item()
    tb.add_scalar("loss/val", vl, step); tb.add_scalar("acc/val", va, step)
    print(f"epoch {epoch} train_loss {trl:.4f} val_loss {vl:.4f} val_acc {va:.4f} (chance loss {math.log(K):.3f}, acc {1 / K})")
tb.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "chance_loss": round(math.log(K), 4), "chance_acc": 1 / K}))
