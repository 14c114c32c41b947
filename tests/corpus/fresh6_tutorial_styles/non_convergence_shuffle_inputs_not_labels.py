# expect: non_convergence
# allow: high_bias, dead_units
# forbid: *
# evidence: x shuffled but y sliced in original order: train and val loss stay at ln 4 = 1.386, val acc 0.244 (majority 0.26); control: val acc 0.962, val loss 0.12
# control: --control
# Hand-rolled mini-batching with index slices: each epoch the inputs are shuffled with a fresh
# permutation ... but the labels are sliced in their original order, so every batch pairs inputs with
# someone else's labels. A classic copy-paste bug. Small CNN on generated glyph images, SGD + momentum.
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(3)
CONTROL = "--control" in sys.argv
g = torch.Generator().manual_seed(3)


def make_glyphs(n):
    X = torch.zeros(n, 1, 12, 12)
    y = torch.randint(0, 4, (n,), generator=g)
    for i in range(n):
        r, c = torch.randint(2, 8, (2,), generator=g).tolist()
        k, img = int(y[i]), X[i, 0]
        if k == 0:
            img[r, c - 2:c + 3] = 1
        elif k == 1:
            img[r - 2:r + 3, c] = 1
        elif k == 2:
            img[r, c - 2:c + 3] = 1; img[r - 2:r + 3, c] = 1
        else:
            for d in range(-2, 3):
                img[r + d, c + d] = 1
    X += 0.3 * torch.randn(X.shape, generator=g)
    return (X - 0.08) / 0.36, y


x_train, y_train = make_glyphs(3000)
x_valid, y_valid = make_glyphs(1000)


class Mnist_CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1)
        self.conv3 = nn.Conv2d(16, 4, kernel_size=3, stride=2, padding=1)

    def forward(self, xb):
        xb = F.relu(self.conv1(xb))
        xb = F.relu(self.conv2(xb))
        xb = F.relu(self.conv3(xb))
        xb = F.avg_pool2d(xb, 2)
        return xb.view(-1, xb.size(1))


model = Mnist_CNN()
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
bs, n, epochs = 64, len(x_train), 8

for epoch in range(epochs):
    model.train()
    perm = torch.randperm(n)
    for i in range((n - 1) // bs + 1):
        idx = perm[i * bs:(i + 1) * bs]
        xb = x_train[idx]
        yb = y_train[idx] if CONTROL else y_train[i * bs:(i + 1) * bs]
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        opt.zero_grad()
    model.eval()
    with torch.no_grad():
        out = model(x_valid)
        vl, va = F.cross_entropy(out, y_valid).item(), (out.argmax(1) == y_valid).float().mean().item()
        tl = F.cross_entropy(model(x_train), y_train).item()
    print(epoch, "train loss %.4f" % tl, "valid loss %.4f" % vl, "valid acc %.4f" % va)

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(torch.bincount(y_valid).max().item() / len(y_valid), 4)}))
