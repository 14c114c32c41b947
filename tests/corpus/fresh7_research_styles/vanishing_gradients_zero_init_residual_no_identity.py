# expect: vanishing_gradients, poor_initialization
# allow: non_convergence, dead_units, high_bias
# forbid: *
# evidence: planted (no identity): first-step grad norm exactly 0 for every conv/BN/fc weight (only fc.bias 0.08), max |grad| over non-fc params still 0 at the last step; val_acc 0.2525, val_loss 1.386 = ln4 (chance 0.25); control (identity restored): conv1 first-step grad 0.45, val_acc 1.00, val_loss 0.018
# control: --control
"""torchvision-style ResNet built with zero_init_residual=True (the last BN of every BasicBlock
starts with gamma=0, "so the block starts as an identity"), trained PyTorch-ImageNet-example style
(AverageMeter / ProgressMeter, SGD momentum, StepLR) on synthetic 4-class 3x16x16 images.

Planted: a refactor of BasicBlock.forward dropped the `out += identity` skip. With gamma=0 every
block now outputs exactly zero, so nothing after the first block sees a signal and every conv/BN
weight receives an exactly-zero gradient; only the classifier bias can learn. --control restores
`out += identity` (zero_init_residual stays on).
"""
import argparse, json

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class AverageMeter:
    def __init__(self, name, fmt=":f"):
        self.name, self.fmt = name, fmt; self.sum = 0.0; self.count = 0; self.val = 0.0; self.avg = 0.0

    def update(self, val, n=1):
        self.val = val; self.sum += val * n; self.count += n; self.avg = self.sum / self.count

    def __str__(self):
        return ("{name} {val" + self.fmt + "} ({avg" + self.fmt + "})").format(**self.__dict__)


class ProgressMeter:
    def __init__(self, num_batches, meters, prefix=""):
        self.num_batches, self.meters, self.prefix = num_batches, meters, prefix

    def display(self, batch):
        print("\t".join([self.prefix + f"[{batch:>3}/{self.num_batches}]"] + [str(m) for m in self.meters]))


class BasicBlock(nn.Module):
    def __init__(self, c, skip):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, 1, 1, bias=False); self.bn1 = nn.BatchNorm2d(c)
        self.conv2 = nn.Conv2d(c, c, 3, 1, 1, bias=False); self.bn2 = nn.BatchNorm2d(c); self.skip = skip

    def forward(self, x):
        identity = x
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.skip:
            out += identity
        return F.relu(out)


class ResNet(nn.Module):
    def __init__(self, skip, zero_init_residual=True):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, 1, 1, bias=False); self.bn1 = nn.BatchNorm2d(32)
        self.layer1 = nn.Sequential(BasicBlock(32, skip), BasicBlock(32, skip))
        self.layer2 = nn.Sequential(BasicBlock(32, skip), BasicBlock(32, skip))
        self.fc = nn.Linear(32, 4)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        if zero_init_residual:
            for m in self.modules():
                if isinstance(m, BasicBlock):
                    nn.init.constant_(m.bn2.weight, 0)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer2(F.max_pool2d(self.layer1(x), 2))
        return self.fc(x.mean((2, 3)))


def make_data(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    freq = torch.tensor([0.5, 0.9, 1.3, 1.7])[y]
    ph = 6.28 * torch.rand(n, generator=g)
    base = torch.sin(freq[:, None, None] * (xx + yy) / 1.4 + ph[:, None, None])
    x = base[:, None].repeat(1, 3, 1, 1) * torch.tensor([1.0, 0.6, 0.3])[:, None, None]
    return x + 0.6 * torch.randn(n, 3, 16, 16, generator=g), y


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    xtr, ytr = make_data(900, g); xva, yva = make_data(400, g)
    model = ResNet(skip=args.control)
    opt = torch.optim.SGD(model.parameters(), 0.05, momentum=0.9, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.1)
    bs = 50; nb = len(xtr) // bs
    for epoch in range(5):
        losses = AverageMeter("Loss", ":.4e"); top1 = AverageMeter("Acc@1", ":6.2f")
        progress = ProgressMeter(nb, [losses, top1], prefix=f"Epoch: [{epoch}]")
        model.train(); perm = torch.randperm(len(xtr), generator=g)
        for i in range(nb):
            idx = perm[i * bs:(i + 1) * bs]; out = model(xtr[idx]); loss = F.cross_entropy(out, ytr[idx])
            opt.zero_grad(); loss.backward()
            if epoch == 0 and i == 0:
                gn = {n: p.grad.norm().item() for n, p in model.named_parameters() if p.grad is not None}
                print("probe: first-step grad norms  conv1 %.2e  layer1.0.conv1 %.2e  layer2.1.bn2.weight %.2e  fc.weight %.2e  fc.bias %.2e"
                      % (gn["conv1.weight"], gn["layer1.0.conv1.weight"], gn["layer2.1.bn2.weight"], gn["fc.weight"], gn["fc.bias"]))
            opt.step()
            losses.update(loss.item(), bs); top1.update((out.argmax(1) == ytr[idx]).float().mean().item() * 100, bs)
            if i % 8 == 0:
                progress.display(i)
        sched.step()
        model.eval()
        with torch.no_grad():
            o = model(xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        print(f" * Acc@1 {va * 100:.3f} Loss {vl:.4f}")
    gmax = max(p.grad.abs().max().item() for n, p in model.named_parameters() if not n.startswith("fc"))
    print(f"probe: last-step max |grad| over all non-fc params {gmax:.2e}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(losses.avg, 4),
                                         "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
