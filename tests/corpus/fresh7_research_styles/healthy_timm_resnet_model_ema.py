# expect:
# allow:
# forbid: *
# evidence: EMA model (decay 0.99) evaluated: val_acc 0.969 (chance 0.125), val_loss 0.12, train_loss 0.05; raw model val_acc 0.969; eval loss falls every epoch
# native-log: summary.csv
# log-expect:
# log-allow:
"""timm-style train.py scaled down: a small ResNet (BasicBlocks + BatchNorm) on synthetic 8-class
3x16x16 "blob" images, SGD+Nesterov, per-epoch warm-up + cosine (timm's CosineLRScheduler semantics,
written by hand), a ModelEmaV2-like EMA (decay 0.99) used for evaluation, AverageMeter logging and
timm's summary.csv (epoch, train_loss, eval_loss, eval_top1, lr) in $CORPUS_LOG_DIR. Healthy.
"""
import argparse, copy, csv, json, math, os, tempfile, time
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class AverageMeter:
    def __init__(self):
        self.reset()

    def reset(self):
        self.val = self.avg = self.sum = 0.0; self.count = 0

    def update(self, val, n=1):
        self.val = val; self.sum += val * n; self.count += n; self.avg = self.sum / self.count


class ModelEmaV2(nn.Module):
    def __init__(self, model, decay=0.99):
        super().__init__()
        self.module = copy.deepcopy(model).eval(); self.decay = decay

    @torch.no_grad()
    def update(self, model):
        for e, m in zip(self.module.state_dict().values(), model.state_dict().values()):
            if e.dtype.is_floating_point:
                e.mul_(self.decay).add_(m, alpha=1 - self.decay)
            else:
                e.copy_(m)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        sc = x if self.downsample is None else self.downsample(x)
        x = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(x)) + sc)


class ResNet(nn.Module):
    def __init__(self, num_classes=8):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.layer1 = BasicBlock(16, 16, 1); self.layer2 = BasicBlock(16, 32, 2); self.layer3 = BasicBlock(32, 48, 2)
        self.fc = nn.Linear(48, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        x = self.layer3(self.layer2(self.layer1(self.stem(x))))
        return self.fc(x.mean((2, 3)))


def make_blobs(n, g):
    y = torch.randint(0, 8, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    pos = torch.tensor([[4.0, 4.0], [4.0, 11.0], [11.0, 4.0], [11.0, 11.0]])
    c = pos[y % 4] + 1.5 * torch.randn(n, 2, generator=g)
    blob = torch.exp(-((yy - c[:, 0, None, None]) ** 2 + (xx - c[:, 1, None, None]) ** 2) / 8.0)
    color = torch.tensor([[1.0, 0.2, 0.0], [0.0, 0.3, 1.0]])[y // 4]
    x = blob[:, None] * color[:, :, None, None] + 0.35 * torch.randn(n, 3, 16, 16, generator=g)
    mean = torch.tensor([0.1, 0.05, 0.08])[:, None, None]; std = torch.tensor([0.4, 0.36, 0.4])[:, None, None]
    return (x - mean) / std, y


def train_one_epoch(epoch, model, loader, opt, model_ema, args):
    model.train(); losses = AverageMeter(); bt = AverageMeter(); end = time.time()
    for i, (x, y) in enumerate(loader):
        out = model(x); loss = F.cross_entropy(out, y)
        opt.zero_grad(); loss.backward(); opt.step()
        model_ema.update(model)
        losses.update(loss.item(), x.size(0)); bt.update(time.time() - end); end = time.time()
        if i % args.log_interval == 0 or i == len(loader) - 1:
            lr = opt.param_groups[0]["lr"]
            print(f"Train: {epoch} [{i:>3}/{len(loader)} ({100. * i / len(loader):>3.0f}%)]  "
                  f"Loss: {losses.val:#.3g} ({losses.avg:#.3g})  Time: {bt.val:.3f}s  LR: {lr:.3e}")
    return OrderedDict([("loss", losses.avg)])


@torch.no_grad()
def validate(model, x, y, tag=""):
    model.eval(); out = model(x); loss = F.cross_entropy(out, y).item()
    top1 = (out.argmax(1) == y).float().mean().item() * 100
    print(f"Test{tag}: Loss: {loss:.4f}  Acc@1: {top1:.3f}")
    return OrderedDict([("loss", loss), ("top1", top1)])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=10); p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--warmup-epochs", type=int, default=1); p.add_argument("--model-ema-decay", type=float, default=0.99)
    p.add_argument("-b", "--batch-size", type=int, default=64); p.add_argument("--log-interval", type=int, default=10)
    args = p.parse_args()
    torch.manual_seed(42); g = torch.Generator().manual_seed(42)
    xtr, ytr = make_blobs(1600, g); xva, yva = make_blobs(800, g)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=args.batch_size,
                                         shuffle=True, drop_last=True, generator=torch.Generator().manual_seed(0))
    model = ResNet()
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
    model_ema = ModelEmaV2(model, decay=args.model_ema_decay)
    out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(out_dir, exist_ok=True)
    summary = os.path.join(out_dir, "summary.csv")
    if os.path.exists(summary):
        os.remove(summary)
    for epoch in range(args.epochs):
        if epoch < args.warmup_epochs:
            lr = args.lr * (epoch + 1) / (args.warmup_epochs + 1)
        else:
            t = (epoch - args.warmup_epochs) / (args.epochs - args.warmup_epochs)
            lr = 1e-4 + 0.5 * (args.lr - 1e-4) * (1 + math.cos(math.pi * t))
        for pg in opt.param_groups:
            pg["lr"] = lr
        train_metrics = train_one_epoch(epoch, model, loader, opt, model_ema, args)
        validate(model, xva, yva)
        eval_metrics = validate(model_ema.module, xva, yva, tag=" (EMA)")
        row = OrderedDict(epoch=epoch, **{"train_" + k: v for k, v in train_metrics.items()},
                          **{"eval_" + k: v for k, v in eval_metrics.items()}, lr=lr)
        new = not os.path.exists(summary)
        with open(summary, "a", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(row.keys()))
            if new:
                w.writeheader()
            w.writerow(row)
    with torch.no_grad():
        model_ema.module.eval(); o = model_ema.module(xtr); tr_loss = (-o.log_softmax(1).gather(1, ytr[:, None])).mean().item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(eval_metrics["loss"], 4),
                                         "val_acc": round(eval_metrics["top1"] / 100, 4),
                                         "train_loss": round(tr_loss, 4), "chance_acc": 0.125}))


if __name__ == "__main__":
    main()
