# expect:
# forbid: *
# evidence: 3 sigmoid hidden layers, Xavier: val_acc 0.906 (chance 0.227), val_loss 0.226; first/last hidden-layer grad norm 3.2e-2/7.2e-2 in epoch 0, 0.17/0.09 after
"""Sigmoid MLP (3 hidden layers), Xavier-initialised, Adam. Looks like the classic vanishing-gradient
setup, but it is shallow enough and properly initialised, so it trains fine."""
import json

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0)

gen = torch.Generator().manual_seed(1)
P = torch.randn(12, 5, generator=gen)
P = P / P.norm(dim=0)


def data(n):
    x = torch.randn(n, 12, generator=gen)
    return x, (x @ P + 0.2 * torch.sin(2 * x[:, :5])).argmax(1)


x_tr, y_tr = data(5000)
x_va, y_va = data(1000)


class SigmoidNet(nn.Module):
    def __init__(self, sizes=(12, 64, 64, 64), n_out=5):
        super().__init__()
        layers = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            lin = nn.Linear(a, b)
            nn.init.xavier_uniform_(lin.weight)
            nn.init.zeros_(lin.bias)
            layers += [lin, nn.Sigmoid()]
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(sizes[-1], n_out)

    def forward(self, x):
        return self.classifier(self.features(x))


model = SigmoidNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)
loss_fn = nn.CrossEntropyLoss()
lins = [m for m in model.features if isinstance(m, nn.Linear)]

for epoch in range(12):
    model.train()
    perm = torch.randperm(len(x_tr))
    g_first = g_last = 0.0
    tot = 0.0
    nb = 0
    for i in range(0, len(x_tr), 100):
        b = perm[i:i + 100]
        loss = loss_fn(model(x_tr[b]), y_tr[b])
        opt.zero_grad()
        loss.backward()
        g_first += lins[0].weight.grad.norm().item()
        g_last += lins[-1].weight.grad.norm().item()
        opt.step()
        tot += loss.item()
        nb += 1
    sched.step()
    model.eval()
    with torch.no_grad():
        out = model(x_va)
        vl = loss_fn(out, y_va).item()
        va = (out.argmax(1) == y_va).float().mean().item()
    print(f"epoch {epoch:2d} train_loss {tot / nb:.4f} val_loss {vl:.4f} val_acc {va:.3f} "
          f"grad first/last hidden {g_first / nb:.2e}/{g_last / nb:.2e}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / nb, 4),
                                     "chance_acc": round(torch.bincount(y_va).max().item() / len(y_va), 4)}))
