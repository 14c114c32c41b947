# expect:
# allow:
# forbid: *
# evidence: val_acc 0.998 (chance 0.2), val CE 0.12, train CE 0.11 (label-smoothed train loss 0.43, LS floor ~0.39)
"""Small ResNet (BasicBlocks + BatchNorm + identity/1x1 shortcuts) on synthetic oriented-texture images.
SGD momentum, nesterov, weight decay, label smoothing 0.1, one-cycle schedule."""
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


def textures(n, gen, size=16, n_cls=5):
    """class k = sinusoidal grating at orientation k*36deg, random phase/frequency, plus noise."""
    y = torch.randint(0, n_cls, (n,), generator=gen)
    theta = y.float() * torch.pi / n_cls + 0.1 * torch.randn(n, generator=gen)
    freq = 0.6 + 0.4 * torch.rand(n, generator=gen)
    phase = 2 * torch.pi * torch.rand(n, generator=gen)
    r = torch.arange(size).float()
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    proj = xx[None] * torch.cos(theta)[:, None, None] + yy[None] * torch.sin(theta)[:, None, None]
    img = torch.sin(freq[:, None, None] * proj + phase[:, None, None])
    img = img + 0.8 * torch.randn(img.shape, generator=gen)
    return img.unsqueeze(1), y


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Identity()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNetTiny(nn.Module):
    def __init__(self, n_cls=5, w=16):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, w, 3, 1, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU())
        self.layer1 = BasicBlock(w, w, 1)
        self.layer2 = BasicBlock(w, 2 * w, 2)
        self.fc = nn.Linear(2 * w, n_cls)

    def forward(self, x):
        x = self.layer2(self.layer1(self.stem(x)))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def run(args):
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    xtr, ytr = textures(args.n_train, gen)
    xva, yva = textures(600, gen)
    net = ResNetTiny()
    opt = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
    steps = args.epochs * ((args.n_train + args.bs - 1) // args.bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps)
    crit = nn.CrossEntropyLoss(label_smoothing=0.1)
    for ep in range(args.epochs):
        net.train()
        perm = torch.randperm(args.n_train)
        seen, tl, corr = 0, 0.0, 0
        for i in range(0, args.n_train, args.bs):
            idx = perm[i:i + args.bs]
            out = net(xtr[idx])
            loss = crit(out, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            seen += len(idx); tl += loss.item() * len(idx); corr += (out.argmax(1) == ytr[idx]).sum().item()
        net.eval()
        with torch.no_grad():
            vo = net(xva)
            vl = F.cross_entropy(vo, yva).item()
            va = (vo.argmax(1) == yva).float().mean().item()
        print(f"[{ep + 1}/{args.epochs}] loss {tl / seen:.4f} acc {corr / seen:.3f} | val loss {vl:.4f} acc {va:.3f}")
    with torch.no_grad():
        tr_loss = F.cross_entropy(net(xtr), ytr).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tr_loss, 4),
                                          "chance_acc": 0.2}))


if __name__ == "__main__":
    torch.set_num_threads(1)
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--bs", type=int, default=64)
    p.add_argument("--n_train", type=int, default=1200)
    p.add_argument("--seed", type=int, default=0)
    run(p.parse_args())
