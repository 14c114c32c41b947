"""nn.Module subclass whose weights are nn.Parameter tensors created by hand and initialised with
the He/Kaiming formula written out (std = sqrt(2 / fan_in)), 6 ReLU layers on digits, mini-batch
SGD over index permutations with an update written by hand. The forward pass prints the activation
std per layer at init: it stays O(1) with depth, as the formula intends. Plain-text log."""
# expect:
# allow:
# forbid: *
# evidence: activation std per layer at init stays O(1) (see first line of run); val_acc 0.967, val_loss 0.109 (chance 0.10); val loss 1.04 -> 0.11 over 12 epochs with one small bump at epoch 3 (0.23 -> 0.49 -> 0.14)
# native-log: train_output.log
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, math
import numpy as np, torch
from torch import nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)
mu = Xtr.mean(0); sd = Xtr.std()  # centre per pixel, one global scale (rare pixels would explode)
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

class HandMLP(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.ws = nn.ParameterList(); self.bs = nn.ParameterList()
        for fi, fo in zip(sizes[:-1], sizes[1:]):
            self.ws.append(nn.Parameter(torch.randn(fo, fi) * math.sqrt(2.0 / fi)))
            self.bs.append(nn.Parameter(torch.zeros(fo)))
    def forward(self, x, stats=None):
        for i, (w, b) in enumerate(zip(self.ws, self.bs)):
            x = x @ w.T + b
            if i < len(self.ws) - 1:
                x = torch.relu(x)
                if stats is not None: stats.append(x.std().item())
        return x

model = HandMLP([64, 96, 96, 96, 96, 96, 10])
st = []
with torch.no_grad(): model(Xtr, st)
print("activation std per layer at init: " + " ".join(f"{s:.2f}" for s in st))
log = open(os.path.join(LOG_DIR, "train_output.log"), "w")
lr, bs, step = 0.03, 32, 0
for epoch in range(12):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), bs):
        idx = perm[i:i + bs]
        loss = -(torch.log_softmax(model(Xtr[idx]), 1)[torch.arange(len(idx)), ytr[idx]]).mean()
        model.zero_grad(); loss.backward()
        with torch.no_grad():
            for p in model.parameters(): p -= lr * p.grad
        step += 1
        if step % 20 == 0:
            log.write(f"Epoch [{epoch+1}/12], Step [{step}], Loss: {loss.item():.4f}, LR: {lr}\n")
    with torch.no_grad():
        zv = model(Xva); vl = nn.functional.cross_entropy(zv, yva).item(); va = (zv.argmax(1) == yva).float().mean().item()
    log.write(f"Epoch [{epoch+1}/12] validation: Loss: {vl:.4f}, Accuracy: {va:.4f}\n")
    print(f"epoch {epoch} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f}")
log.close()
with torch.no_grad():
    tl = nn.functional.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": 0.1}))
