# expect:
# allow:
# forbid: *
# evidence: 10 epochs SGD lr 0.1 momentum, 2-epoch LinearLR warm-up then cosine (SequentialLR): train_loss 0.0062, val_loss 0.027, val_acc 0.995 (chance 0.10)
"""Classification training in the style of the torchvision reference scripts.

MetricLogger / SmoothedValue, train_one_epoch(model, criterion, optimizer, data_loader, device,
epoch, print_freq), evaluate(...), a linear warm-up chained with cosine via SequentialLR.
"""
import argparse
import datetime
import json
import math
import time
from collections import defaultdict, deque

import torch
import torch.nn as nn
import torch.utils.data


class SmoothedValue:
    """Track a series of values and provide access to smoothed values over a window or the global average."""

    def __init__(self, window_size=20, fmt=None):
        if fmt is None:
            fmt = "{median:.4f} ({global_avg:.4f})"
        self.deque = deque(maxlen=window_size)
        self.total = 0.0
        self.count = 0
        self.fmt = fmt

    def update(self, value, n=1):
        self.deque.append(value)
        self.count += n
        self.total += value * n

    @property
    def median(self):
        d = torch.tensor(list(self.deque))
        return d.median().item()

    @property
    def avg(self):
        d = torch.tensor(list(self.deque), dtype=torch.float32)
        return d.mean().item()

    @property
    def global_avg(self):
        return self.total / max(self.count, 1)

    @property
    def value(self):
        return self.deque[-1]

    def __str__(self):
        return self.fmt.format(median=self.median, avg=self.avg, global_avg=self.global_avg, value=self.value)


class MetricLogger:
    def __init__(self, delimiter="\t"):
        self.meters = defaultdict(SmoothedValue)
        self.delimiter = delimiter

    def update(self, **kwargs):
        for k, v in kwargs.items():
            if isinstance(v, torch.Tensor):
                v = v.item()
            self.meters[k].update(v)

    def __getattr__(self, attr):
        if attr in self.meters:
            return self.meters[attr]
        raise AttributeError(attr)

    def __str__(self):
        return self.delimiter.join(f"{name}: {meter}" for name, meter in self.meters.items())

    def add_meter(self, name, meter):
        self.meters[name] = meter

    def log_every(self, iterable, print_freq, header=""):
        start = time.time()
        for i, obj in enumerate(iterable):
            yield obj
            if i % print_freq == 0 or i == len(iterable) - 1:
                print(f"{header} [{i}/{len(iterable)}] {self} time: {time.time() - start:.2f}s")


def make_data(n, generator):
    # 10 classes of 1x12x12 "images": class template + per-sample shift and noise
    templates = torch.randn(10, 1, 12, 12, generator=torch.Generator().manual_seed(123))
    templates = torch.nn.functional.avg_pool2d(templates, 3, 1, 1) * 2.0
    y = torch.randint(0, 10, (n,), generator=generator)
    x = templates[y] + 0.9 * torch.randn(n, 1, 12, 12, generator=generator)
    return x, y


class SmallNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(inplace=True),
            nn.AdaptiveAvgPool2d(2),
        )
        self.classifier = nn.Linear(32 * 4, num_classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def train_one_epoch(model, criterion, optimizer, data_loader, device, epoch, print_freq, lr_scheduler=None):
    model.train()
    metric_logger = MetricLogger(delimiter="  ")
    metric_logger.add_meter("lr", SmoothedValue(window_size=1, fmt="{value}"))
    header = f"Epoch: [{epoch}]"
    for image, target in metric_logger.log_every(data_loader, print_freq, header):
        image, target = image.to(device), target.to(device)
        output = model(image)
        loss = criterion(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        acc1 = (output.argmax(1) == target).float().mean() * 100
        metric_logger.update(loss=loss.item(), lr=optimizer.param_groups[0]["lr"])
        metric_logger.meters["acc1"].update(acc1.item(), n=image.shape[0])
    return metric_logger


def evaluate(model, criterion, data_loader, device, print_freq=100, log_suffix=""):
    model.eval()
    metric_logger = MetricLogger(delimiter="  ")
    header = f"Test: {log_suffix}"
    total_loss, total_correct, n = 0.0, 0, 0
    with torch.inference_mode():
        for image, target in metric_logger.log_every(data_loader, print_freq, header):
            output = model(image.to(device))
            loss = criterion(output, target.to(device))
            total_loss += loss.item() * image.shape[0]
            total_correct += (output.argmax(1) == target).sum().item()
            n += image.shape[0]
    print(f"{header} Acc@1 {100.0 * total_correct / n:.3f} loss {total_loss / n:.4f}")
    return total_loss / n, total_correct / n


def get_args_parser():
    parser = argparse.ArgumentParser(description="PyTorch Classification Training", add_help=True)
    parser.add_argument("--epochs", default=10, type=int)
    parser.add_argument("-b", "--batch-size", default=32, type=int)
    parser.add_argument("--lr", default=0.1, type=float)
    parser.add_argument("--momentum", default=0.9, type=float)
    parser.add_argument("--wd", "--weight-decay", default=1e-4, type=float, dest="weight_decay")
    parser.add_argument("--label-smoothing", default=0.0, type=float)
    parser.add_argument("--lr-warmup-epochs", default=2, type=int)
    parser.add_argument("--lr-warmup-decay", default=0.01, type=float)
    parser.add_argument("--print-freq", default=20, type=int)
    return parser


def main(args):
    torch.manual_seed(0)
    torch.set_num_threads(1)
    device = torch.device("cpu")
    g = torch.Generator().manual_seed(0)
    x_tr, y_tr = make_data(1000, g)
    x_va, y_va = make_data(600, g)
    data_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_tr, y_tr),
                                              batch_size=args.batch_size, shuffle=True)
    data_loader_test = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_va, y_va), batch_size=256)

    model = SmallNet().to(device)
    criterion = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum,
                                weight_decay=args.weight_decay)
    main_lr_scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(
        optimizer, T_max=args.epochs - args.lr_warmup_epochs, eta_min=0.0)
    warmup_lr_scheduler = torch.optim.lr_scheduler.LinearLR(
        optimizer, start_factor=args.lr_warmup_decay, total_iters=args.lr_warmup_epochs)
    lr_scheduler = torch.optim.lr_scheduler.SequentialLR(
        optimizer, schedulers=[warmup_lr_scheduler, main_lr_scheduler], milestones=[args.lr_warmup_epochs])

    print("Start training")
    start_time = time.time()
    for epoch in range(args.epochs):
        ml = train_one_epoch(model, criterion, optimizer, data_loader, device, epoch, args.print_freq)
        lr_scheduler.step()
        val_loss, val_acc = evaluate(model, criterion, data_loader_test, device=device)
    total_time_str = str(datetime.timedelta(seconds=int(time.time() - start_time)))
    print(f"Training time {total_time_str}")
    train_loss, train_acc = evaluate(model, criterion, torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x_tr, y_tr), batch_size=256), device, log_suffix="train")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                         "train_loss": round(train_loss, 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main(get_args_parser().parse_args())
