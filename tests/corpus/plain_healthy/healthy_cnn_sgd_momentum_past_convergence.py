# expect:
# forbid: *
# evidence: val_acc 1.0 (chance 0.25) from epoch 2 of 30, val_loss 0.0014 flat/falling; train_loss 0.00017 - trained well past convergence, no val degradation
# Small CNN (no BatchNorm) on synthetic 16x16 stripe images (4 orientations), SGD + momentum.
# Runs for many epochs after the training loss has reached ~0; val accuracy stays at its best.
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1)
torch.set_num_threads(1)

ANGLES = [0.0, math.pi / 4, math.pi / 2, 3 * math.pi / 4]
yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")


def stripes(n, gen):
    y = torch.randint(0, 4, (n,), generator=gen)
    theta = torch.tensor(ANGLES)[y] + 0.1 * torch.randn(n, generator=gen)
    freq = 0.9 + 0.4 * torch.rand(n, generator=gen)
    phase = 2 * math.pi * torch.rand(n, generator=gen)
    proj = xx[None] * torch.cos(theta)[:, None, None] + yy[None] * torch.sin(theta)[:, None, None]
    img = torch.sin(freq[:, None, None] * proj + phase[:, None, None])
    img = img + 1.0 * torch.randn(img.shape, generator=gen)
    return img[:, None], y


g = torch.Generator().manual_seed(11)
Xtr, Ytr = stripes(1200, g)
Xva, Yva = stripes(400, g)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 8, 3, padding=1)
        self.c2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc = nn.Linear(16 * 4 * 4, 4)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(x.flatten(1))


net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.02, momentum=0.9)
crit = nn.CrossEntropyLoss()

for ep in range(30):
    net.train()
    perm = torch.randperm(len(Xtr))
    tot = 0.0
    for i in range(0, len(Xtr), 50):
        b = perm[i:i + 50]
        opt.zero_grad()
        loss = crit(net(Xtr[b]), Ytr[b])
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
    net.eval()
    with torch.no_grad():
        logits = net(Xva)
        vl = crit(logits, Yva).item()
        va = (logits.argmax(1) == Yva).float().mean().item()
    print(f"[{ep + 1:02d}] loss={tot / len(Xtr):.5f} val_loss={vl:.4f} val_acc={va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                      "train_loss": round(tot / len(Xtr), 6), "chance_acc": 0.25}))
