# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (Linear biases initialised to -2) dead ReLU fraction per layer [0.0, 0.949, 1.0] after training, loss flat at 2.443, val_acc 0.107 (majority 0.113); control (bias 0) no dead units, train_loss 0.216, val_loss 0.961, val_acc 0.652
# control: --control
"""VGG-classifier-style MLP (Linear-ReLU-Dropout x3) with a torchvision-like `_initialize_weights`;
the bias constant was meant to be 0 but a "ReLU bias trick" constant of -2 slipped in.
Tabular 12-class task (standardised features), SGD momentum, MultiStepLR."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

BIAS_INIT = 0.0 if "--control" in sys.argv else -2.0


class VGGHead(nn.Module):
    def __init__(self, in_features=30, hidden=256, num_classes=12):
        super().__init__()
        self.classifier = nn.Sequential(
            nn.Linear(in_features, hidden), nn.ReLU(True), nn.Dropout(p=0.2),
            nn.Linear(hidden, hidden), nn.ReLU(True), nn.Dropout(p=0.2),
            nn.Linear(hidden, hidden), nn.ReLU(True),
            nn.Linear(hidden, num_classes))
        self._initialize_weights()

    def _initialize_weights(self):
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
                nn.init.constant_(m.bias, BIAS_INIT)

    def forward(self, x):
        return self.classifier(x)


def make(n, g):
    w = torch.randn(30, 12, generator=torch.Generator().manual_seed(99))
    x = torch.randn(n, 30, generator=g)
    logits = (x @ w) + 0.8 * torch.sin(2 * x[:, :12]) * 3
    y = (logits + 0.5 * torch.randn(n, 12, generator=g)).argmax(1)
    return x, y


torch.manual_seed(0)
torch.set_num_threads(1)
g = torch.Generator().manual_seed(0)
xtr, ytr = make(2000, g)
xva, yva = make(1500, g)
model = VGGHead()
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[8, 11], gamma=0.1)
relus = [m for m in model.modules() if isinstance(m, nn.ReLU)]


def dead_fraction():
    acts = []
    hooks = [r.register_forward_hook(lambda m, i, o: acts.append(o.detach())) for r in relus]
    model.eval()
    with torch.no_grad():
        model(xtr[:1000])
    for h in hooks:
        h.remove()
    return [round(((a > 0).sum(0) == 0).float().mean().item(), 3) for a in acts]


print("dead ReLU fraction per layer at init:", dead_fraction())
for epoch in range(12):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for i in range(0, len(xtr), 64):
        b = perm[i:i + 64]
        loss = F.cross_entropy(model(xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
    sched.step()
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl, va = F.cross_entropy(out, yva).item(), (out.argmax(1) == yva).float().mean().item()
    if epoch % 4 == 0 or epoch == 11:
        print(f"epoch {epoch:2d} train_loss {tot / len(xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f} dead {dead_fraction()}")
with torch.no_grad():
    tl = F.cross_entropy(model(xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "dead_relu_fraction": dead_fraction(),
                                     "chance_acc": round((torch.bincount(yva).max() / len(yva)).item(), 4)}))
