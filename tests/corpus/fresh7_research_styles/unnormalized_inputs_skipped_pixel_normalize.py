# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, exploding_gradients, dead_units, high_bias
# forbid: *
# evidence: planted (raw 0..255, input mean 114 std 34): loss 12 -> 3.7e6 within 10 steps, then stuck at ln8 = 2.08, val_acc 0.126 (chance 0.125) for all 7 epochs; control (/255 + Normalize, mean 0 std 0.67): val_acc 1.00, val_loss 0.004
# control: --control
"""PyTorch ImageNet-example-style training of a small VGG-ish CNN (no BatchNorm, as in the
classic AlexNet/VGG recipes) on synthetic 8-class 3x16x16 uint8 "photos" (pixel values 0..255),
SGD momentum 0.9, StepLR, AverageMeter/ProgressMeter printing.

Planted: the transforms pipeline forgets ToTensor's /255 and Normalize(mean, std): the network
gets raw 0..255 pixel values (mean ~120, std ~50). --control applies x/255 then
Normalize(mean=[0.47, 0.45, 0.42], std=[0.2, 0.2, 0.2]) as intended.
"""
import argparse, json

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class AverageMeter:
    def __init__(self, name):
        self.name = name; self.sum = 0.0; self.count = 0

    def update(self, v, n=1):
        self.sum += v * n; self.count += n

    @property
    def avg(self):
        return self.sum / max(self.count, 1)


def make_photos(n, g):
    y = torch.randint(0, 8, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    ang = (y % 4).float() * 0.785; fr = 0.6 + 0.5 * (y // 4).float()
    pat = torch.sin(fr[:, None, None] * (xx * ang.cos()[:, None, None] + yy * ang.sin()[:, None, None]) + 6.28 * torch.rand(n, 1, 1, generator=g))
    base = torch.tensor([120.0, 115.0, 107.0])[:, None, None]
    img = base + 40 * pat[:, None] * torch.tensor([1.0, 0.8, 0.6])[:, None, None] + 25 * torch.randn(n, 3, 16, 16, generator=g)
    return img.clamp(0, 255).round().to(torch.uint8), y


def transform(img_u8, normalize):
    x = img_u8.float()
    if normalize:
        x = x / 255.0
        mean = torch.tensor([0.47, 0.45, 0.42])[:, None, None]; std = torch.tensor([0.2, 0.2, 0.2])[:, None, None]
        x = (x - mean) / std
    return x


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    xtr_u8, ytr = make_photos(1500, g); xva_u8, yva = make_photos(500, g)
    xtr, xva = transform(xtr_u8, args.control), transform(xva_u8, args.control)
    print(f"probe: input mean {xtr.mean():.2f} std {xtr.std():.2f}")
    model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(64 * 16, 128), nn.ReLU(), nn.Linear(128, 8))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.StepLR(opt, 5, 0.1)
    bs = 50; nb = len(xtr) // bs
    for epoch in range(7):
        losses, top1 = AverageMeter("Loss"), AverageMeter("Acc@1")
        model.train(); perm = torch.randperm(len(xtr), generator=g)
        for i in range(nb):
            idx = perm[i * bs:(i + 1) * bs]; out = model(xtr[idx]); loss = F.cross_entropy(out, ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step()
            losses.update(loss.item(), bs); top1.update((out.argmax(1) == ytr[idx]).float().mean().item() * 100, bs)
            if i % 10 == 0:
                print(f"Epoch: [{epoch}][{i:>2}/{nb}]\tLoss {loss.item():.4e} ({losses.avg:.4e})\tAcc@1 {top1.avg:6.2f}")
        sched.step(); model.eval()
        with torch.no_grad():
            o = model(xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        print(f" * Acc@1 {va * 100:.3f}  val loss {vl:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(losses.avg, 4), "chance_acc": 0.125}))


if __name__ == "__main__":
    main()
