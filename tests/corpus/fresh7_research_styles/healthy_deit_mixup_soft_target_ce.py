# expect:
# allow:
# forbid: *
# evidence: val_acc 1.00 from epoch 2 (chance 0.167), val CE 0.584 -> 0.133; the mixup/cutmix soft-target train loss sits at its floor ~0.9 from epoch 2 on (expected with mixup + smoothing 0.1)
"""DeiT/timm-style training with Mixup + CutMix (timm.data.Mixup semantics written by hand:
mixup_alpha 0.8, cutmix_alpha 1.0, switch prob 0.5, label_smoothing 0.1 -> soft one-hot targets) and
SoftTargetCrossEntropy (sum(-target * log_softmax)); a small CNN with BatchNorm on synthetic 6-class
3x16x16 images; AdamW + warm-up/cosine; model evaluated with plain cross-entropy. Because of
mixup + smoothing the training loss stays well above the validation loss; that is expected. Healthy.
"""
import json, math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class SoftTargetCrossEntropy(nn.Module):
    def forward(self, x, target):
        return torch.sum(-target * F.log_softmax(x, dim=-1), dim=-1).mean()


class Mixup:
    def __init__(self, num_classes, mixup_alpha=0.8, cutmix_alpha=1.0, switch_prob=0.5, label_smoothing=0.1, g=None):
        self.nc, self.ma, self.ca, self.sp, self.ls, self.g = num_classes, mixup_alpha, cutmix_alpha, switch_prob, label_smoothing, g

    def __call__(self, x, y):
        off = self.ls / self.nc
        y1 = torch.full((len(y), self.nc), off).scatter_(1, y[:, None], 1 - self.ls + off)
        y2 = y1.flip(0)
        use_cutmix = torch.rand(1, generator=self.g).item() < self.sp
        lam = float(torch.distributions.Beta(self.ca if use_cutmix else self.ma, self.ca if use_cutmix else self.ma).sample())
        if use_cutmix:
            H = x.shape[-1]; cut = int(H * math.sqrt(1 - lam)); cy, cx = torch.randint(0, H, (2,), generator=self.g).tolist()
            y0, y1b, x0, x1b = max(cy - cut // 2, 0), min(cy + cut // 2, H), max(cx - cut // 2, 0), min(cx + cut // 2, H)
            x = x.clone(); x[:, :, y0:y1b, x0:x1b] = x.flip(0)[:, :, y0:y1b, x0:x1b]
            lam = 1 - (y1b - y0) * (x1b - x0) / (H * H)
        else:
            x = x * lam + x.flip(0) * (1 - lam)
        return x, y1 * lam + y2 * (1 - lam)


def make_data(n, g, protos):
    y = torch.randint(0, 6, (n,), generator=g)
    sh = torch.randint(-2, 3, (n, 2), generator=g)
    x = torch.stack([torch.roll(protos[k], (int(a), int(b)), (1, 2)) for k, (a, b) in zip(y.tolist(), sh.tolist())])
    return x + 2.0 * torch.randn(n, 3, 16, 16, generator=g), y


def main():
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    protos = F.avg_pool2d(torch.randn(6, 3, 20, 20, generator=g), 5, 1); protos = protos / protos.std((1, 2, 3), keepdim=True)
    xtr, ytr = make_data(2000, g, protos); xva, yva = make_data(600, g, protos)
    model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(64, 6))
    mixup_fn = Mixup(6, g=g); criterion = SoftTargetCrossEntropy()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    epochs, bs = 9, 64; ipe = len(xtr) // bs; total = epochs * ipe; step = 0
    for epoch in range(epochs):
        model.train(); perm = torch.randperm(len(xtr), generator=g); tot = 0.0
        for i in range(ipe):
            for pg in opt.param_groups:
                pg["lr"] = 2e-3 * min(1.0, (step + 1) / ipe) * 0.5 * (1 + math.cos(math.pi * step / total))
            idx = perm[i * bs:(i + 1) * bs]; samples, targets = mixup_fn(xtr[idx], ytr[idx])
            loss = criterion(model(samples), targets)
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); step += 1
        model.eval()
        with torch.no_grad():
            o = model(xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        print(f"Epoch: [{epoch}]  lr: {opt.param_groups[0]['lr']:.6f}  loss (mixup, soft targets): {tot / ipe:.4f}  "
              f"* Acc@1 {va * 100:.3f} loss {vl:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss_mixup": round(tot / ipe, 4), "chance_acc": round(1 / 6, 4)}))


if __name__ == "__main__":
    main()
