# expect:
# allow:
# forbid: *
# evidence: count-the-blobs task: val_acc 0.988 (majority 0.265), val_loss 0.080, train_loss 0.142 (train loss in train-mode BN, with weight decay)
# Conv + BatchNorm classifier with a sensible batch size (64), model.train()/model.eval()
# switched correctly so BN uses running statistics at validation time.
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(2)
torch.set_num_threads(1)


def blobs_images(n, g):
    """class = number of bright blobs (1..4) on a 14x14 noisy canvas"""
    y = torch.randint(0, 4, (n,), generator=g)
    imgs = 0.3 * torch.randn(n, 1, 14, 14, generator=g)
    for i in range(n):
        for _ in range(int(y[i]) + 1):
            r, c = torch.randint(1, 12, (2,), generator=g).tolist()
            imgs[i, 0, r - 1:r + 2, c - 1:c + 2] += 1.5
    return imgs, y


def conv_bn(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class BlobCounter(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(conv_bn(1, 12), nn.MaxPool2d(2), conv_bn(12, 24))
        self.classifier = nn.Linear(24, 4)

    def forward(self, x):
        h = self.features(x)
        return self.classifier(h.mean((2, 3)) * 4)


gen = torch.Generator().manual_seed(22)
x_train, y_train = blobs_images(1200, gen)
x_val, y_val = blobs_images(400, gen)
model = BlobCounter()
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.3)
for epoch in range(8):
    model.train()
    perm = torch.randperm(1200); losses = []
    for i in range(0, 1200, 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
        opt.zero_grad(); loss.backward(); opt.step(); losses.append(loss.item())
    sched.step()
    model.eval()
    with torch.no_grad():
        logits = model(x_val)
        val_loss = F.cross_entropy(logits, y_val).item()
        val_acc = (logits.argmax(1) == y_val).float().mean().item()
    train_loss = sum(losses) / len(losses)
    print(f"epoch {epoch} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": val_loss, "val_acc": val_acc, "train_loss": train_loss, "chance_acc": torch.bincount(y_val).max().item() / len(y_val)}))
