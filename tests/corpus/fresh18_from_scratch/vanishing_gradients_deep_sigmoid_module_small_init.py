"""nn.Module subclass with nn.Parameter tensors created by hand: 7 stacked sigmoid layers on digits,
hand-written SGD step over the module's parameters.
Planted: weights initialised with N(0, 0.05^2) ("small random numbers", as in old course notes)
instead of a sigmoid-appropriate Glorot init (uniform +-4*sqrt(6/(fan_in+fan_out)))."""
# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, learning_rate_too_low, poor_initialization
# forbid: *
# evidence: control (Glorot x4 init) val_acc 0.913, val_loss 0.281, first/last layer grad-norm ratio 1.17; planted (N(0,0.05^2)) stays at chance: val_acc 0.102, val_loss 2.318 (chance 0.10); per-layer grad norms input->output 1.7e-6 1.7e-5 1.8e-4 1.6e-3 1.4e-2 1.3e-1 0.94 (ratio 1.9e-6, x10 per layer)
# control: --control
# native-log: events
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_low
import os, sys, json, random, tempfile
import numpy as np, torch
from torch import nn
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X / 16.0, y, test_size=0.25, random_state=0, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32); Xva = torch.tensor(Xva, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

class DeepSigmoid(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.W = nn.ParameterList(); self.b = nn.ParameterList()
        for fi, fo in zip(sizes[:-1], sizes[1:]):
            if CONTROL:
                a = 4 * (6 / (fi + fo)) ** 0.5
                w = (torch.rand(fi, fo) * 2 - 1) * a
            else:
                w = torch.randn(fi, fo) * 0.05
            self.W.append(nn.Parameter(w)); self.b.append(nn.Parameter(torch.zeros(fo)))
    def forward(self, x):
        n = len(self.W)
        for i in range(n):
            x = x @ self.W[i] + self.b[i]
            if i < n - 1:
                x = torch.sigmoid(x)
        return x

model = DeepSigmoid([64, 64, 64, 64, 64, 64, 64, 10])
writer = SummaryWriter(os.path.join(LOG_DIR, "events"))
lr, bs, step = 0.25, 32, 0
for epoch in range(16):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), bs):
        idx = perm[i:i + bs]
        z = model(Xtr[idx])
        loss = -(torch.log_softmax(z, 1)[torch.arange(len(idx)), ytr[idx]]).mean()
        model.zero_grad()
        loss.backward()
        gn = [w.grad.norm().item() for w in model.W]
        with torch.no_grad():
            for p in model.parameters():
                p -= lr * p.grad
        step += 1
        if step % 10 == 0:
            writer.add_scalar("train/loss", loss.item(), step)
            writer.add_scalar("lr", lr, step)
    with torch.no_grad():
        zv = model(Xva); vl = nn.functional.cross_entropy(zv, yva).item(); va = (zv.argmax(1) == yva).float().mean().item()
    writer.add_scalar("val/loss", vl, step); writer.add_scalar("val/acc", va, step)
    if epoch % 4 == 0 or epoch == 15:
        print(f"epoch {epoch} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f} | grad norm per layer (input->output): " + " ".join(f"{g:.1e}" for g in gn))
writer.close()
with torch.no_grad():
    tl = nn.functional.cross_entropy(model(Xtr), ytr).item()
print(f"first/last layer grad norm ratio {gn[0] / gn[-1]:.2e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": 0.1, "grad_norm_first_over_last": gn[0] / gn[-1]}))
