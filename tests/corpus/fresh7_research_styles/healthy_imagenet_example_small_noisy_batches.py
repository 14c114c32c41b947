# expect:
# allow:
# forbid: *
# evidence: batch size 8 (200 noisy iterations/epoch): val_acc1 0.974 (chance 0.10), acc5 0.998, val_loss 1.04 -> 0.174 (train 0.244, BN+wd); epoch curves smooth, lr /10 at epoch 4
# native-log: train_log.csv
# log-expect:
# log-allow:
"""pytorch/examples imagenet/main.py structure (train() / validate() / AverageMeter / ProgressMeter /
accuracy(output, target, topk=(1, 5)) / adjust_learning_rate "decays by 10 every N epochs"),
scaled down to a small CNN with BatchNorm on synthetic 10-class 3x12x12 images, with SMALL noisy
batches (batch size 8, lr scaled down to 0.01 accordingly) and a per-epoch CSV log
(epoch, lr, train_loss, train_acc1, val_loss, val_acc1, val_acc5) in $CORPUS_LOG_DIR. The
iteration-level loss is noisy, the epoch-level curves are clean. Healthy.
"""
import csv, json, os, tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class AverageMeter:
    def __init__(self, name, fmt=":f"):
        self.name, self.fmt = name, fmt; self.val = self.avg = self.sum = 0.0; self.count = 0

    def update(self, val, n=1):
        self.val = val; self.sum += val * n; self.count += n; self.avg = self.sum / self.count

    def __str__(self):
        return ("{name} {val" + self.fmt + "} ({avg" + self.fmt + "})").format(**self.__dict__)


class ProgressMeter:
    def __init__(self, num_batches, meters, prefix=""):
        self.n, self.meters, self.prefix = num_batches, meters, prefix

    def display(self, batch):
        print("\t".join([self.prefix + f"[{batch:>3}/{self.n}]"] + [str(m) for m in self.meters]))


def accuracy(output, target, topk=(1,)):
    with torch.no_grad():
        maxk = max(topk); _, pred = output.topk(maxk, 1, True, True); pred = pred.t()
        correct = pred.eq(target.view(1, -1).expand_as(pred))
        return [correct[:k].reshape(-1).float().sum(0) * 100.0 / target.size(0) for k in topk]


def adjust_learning_rate(optimizer, epoch, base_lr):
    lr = base_lr * (0.1 ** (epoch // 4))
    for pg in optimizer.param_groups:
        pg["lr"] = lr
    return lr


def make_images(n, g, protos):
    y = torch.randint(0, 10, (n,), generator=g)
    x = protos[y] * (0.8 + 0.4 * torch.rand(n, 1, 1, 1, generator=g)) + 1.0 * torch.randn(n, 3, 12, 12, generator=g)
    return x, y


def train(x, y, model, optimizer, epoch, g, bs=8):
    losses, top1 = AverageMeter("Loss", ":.4e"), AverageMeter("Acc@1", ":6.2f")
    nb = len(x) // bs; progress = ProgressMeter(nb, [losses, top1], prefix=f"Epoch: [{epoch}]")
    model.train(); perm = torch.randperm(len(x), generator=g)
    for i in range(nb):
        idx = perm[i * bs:(i + 1) * bs]; output = model(x[idx]); loss = F.cross_entropy(output, y[idx])
        acc1, = accuracy(output, y[idx]); losses.update(loss.item(), bs); top1.update(acc1.item(), bs)
        optimizer.zero_grad(); loss.backward(); optimizer.step()
        if i % 50 == 0:
            progress.display(i)
    return losses.avg, top1.avg


def validate(x, y, model):
    model.eval()
    with torch.no_grad():
        out = model(x); loss = F.cross_entropy(out, y).item(); a1, a5 = accuracy(out, y, topk=(1, 5))
    print(f" * Acc@1 {a1:.3f} Acc@5 {a5:.3f}")
    return loss, a1.item(), a5.item()


def main():
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    protos = F.avg_pool2d(torch.randn(10, 3, 15, 15, generator=g), 4, 1); protos = protos / protos.std((1, 2, 3), keepdim=True) * 0.35
    xtr, ytr = make_images(1600, g, protos); xva, yva = make_images(500, g, protos)
    model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(32, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))
    optimizer = torch.optim.SGD(model.parameters(), 0.01, momentum=0.9, weight_decay=1e-4)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(log_dir, exist_ok=True)
    path = os.path.join(log_dir, "train_log.csv")
    with open(path, "w", newline="") as f:
        csv.writer(f).writerow(["epoch", "lr", "train_loss", "train_acc1", "val_loss", "val_acc1", "val_acc5"])
    best_acc1 = 0.0
    for epoch in range(8):
        lr = adjust_learning_rate(optimizer, epoch, 0.01)
        tl, ta = train(xtr, ytr, model, optimizer, epoch, g)
        vl, va1, va5 = validate(xva, yva, model); best_acc1 = max(best_acc1, va1)
        with open(path, "a", newline="") as f:
            csv.writer(f).writerow([epoch, lr, round(tl, 5), round(ta, 3), round(vl, 5), round(va1, 3), round(va5, 3)])
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va1 / 100, 4), "val_acc5": round(va5 / 100, 4),
                                         "train_loss": round(tl, 4), "best_acc1": round(best_acc1 / 100, 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
