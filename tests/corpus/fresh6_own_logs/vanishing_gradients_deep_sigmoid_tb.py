# expect: vanishing_gradients
# allow: saturated_activations, non_convergence, high_bias, learning_rate_too_low, poor_initialization
# forbid: *
# evidence: planted 12 sigmoid layers: at step 20 first-layer grad norm 3.8e-11 vs last layer 1.1 (ratio 3.5e-11); loss stays at ln 4 = 1.386 for 15 epochs, val_acc 0.246 (chance 0.25); control ReLU + He init: ratio 0.87, val_acc 0.95
# control: --control
# native-log: tb
# log-expect: non_convergence
# log-allow: high_bias, learning_rate_too_low
"""12-layer sigmoid MLP (default PyTorch init), SGD with momentum. The gradient shrinks ~4x per sigmoid layer, so the
first layers get almost nothing and the loss sits on its initial plateau. Control: ReLU activations with their
matching He init, everything else the same. Log: SummaryWriter tags loss/train, loss/val, acc/val. Probe: grad norm of first vs last layer."""
import json, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
Act = nn.ReLU if "--control" in sys.argv else nn.Sigmoid

g = torch.Generator().manual_seed(71)
centers = 0.8 * torch.randn(20, 16, generator=g)    # 4 classes x 5 clusters
def make(n):
    c = torch.randint(0, 20, (n,), generator=g)
    return centers[c] + 0.6 * torch.randn(n, 16, generator=g), c % 4
xtr, ytr = make(3000)
xva, yva = make(800)

layers, d = [], 16
for _ in range(12):
    layers += [nn.Linear(d, 64), Act()]; d = 64
model = nn.Sequential(*layers, nn.Linear(64, 4))
if Act is nn.ReLU:   # control: ReLU with its matching He init
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu"); nn.init.zeros_(m.bias)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
writer = SummaryWriter(os.path.join(LOG_DIR, "tb"))
step = 0
for epoch in range(15):
    model.train()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward()
        if step == 20:
            g_first = model[0].weight.grad.norm().item(); g_last = model[-1].weight.grad.norm().item()
        opt.step()
        if step % 10 == 0:
            writer.add_scalar("loss/train", loss.item(), step)
        step += 1
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    writer.add_scalar("loss/val", vl, step)
    writer.add_scalar("acc/val", va, step)
    print(f"epoch {epoch} last loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f}")
writer.close()
print(f"probe (step 20): grad norm first layer {g_first:.2e}, last layer {g_last:.2e}, ratio {g_first / g_last:.1e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "chance_acc": 0.25, "grad_first_over_last": g_first / g_last}))
