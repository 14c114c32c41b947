# expect: non_finite
# allow: learning_rate_too_high, exploding_gradients, non_convergence, high_bias
# forbid: *
# evidence: planted (hand-written log-sigmoid BCE) goes NaN in epoch 2, val pixel acc falls to 0.857 = all-background; control (BCE-with-logits) reaches val_loss 0.0064, val pixel acc 0.998
# control: --control
"""Fully-convolutional binary segmentation (bright blobs vs noise).

The loss was hand-written as -[t*log(sigmoid(z)) + (1-t)*log(1-sigmoid(z))].  Once the net is
confident (z > ~17) sigmoid rounds to exactly 1.0 in float32, log(1-p) = -inf and 0 * -inf = NaN.
--control uses F.binary_cross_entropy_with_logits (same maths, stable).
"""
import argparse
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
parser.add_argument("--epochs", type=int, default=8)
opts = parser.parse_args()
torch.set_num_threads(1)
torch.manual_seed(0)

SIZE = 20


def blobs(n, seed):
    g = torch.Generator().manual_seed(seed)
    ys, xs = torch.meshgrid(torch.arange(SIZE).float(), torch.arange(SIZE).float(), indexing="ij")
    img = torch.zeros(n, 1, SIZE, SIZE)
    tgt = torch.zeros(n, 1, SIZE, SIZE)
    for i in range(n):
        for _ in range(2):
            c = torch.rand(2, generator=g) * (SIZE - 4) + 2
            r = 2 + 2 * torch.rand(1, generator=g).item()
            m = ((ys - c[0]) ** 2 + (xs - c[1]) ** 2) <= r * r
            tgt[i, 0][m] = 1.0
    img = tgt * 2.0 + 0.5 * torch.randn(img.shape, generator=g)
    return img, tgt


class FCN(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, width, 3, padding=1), nn.ReLU(),
            nn.Conv2d(width, width, 3, padding=2, dilation=2), nn.ReLU(),
            nn.Conv2d(width, width, 3, padding=1), nn.ReLU(),
            nn.Conv2d(width, 1, 1),
        )

    def forward(self, x):
        return self.body(x)


def naive_bce(z, t):
    p = torch.sigmoid(z)
    return -(t * torch.log(p) + (1 - t) * torch.log(1 - p)).mean()


loss_fn = (lambda z, t: F.binary_cross_entropy_with_logits(z, t)) if opts.control else naive_bce

x_train, t_train = blobs(400, 11)
x_val, t_val = blobs(100, 12)
net = FCN()
optimizer = torch.optim.Adam(net.parameters(), lr=1e-2)

step = 0
for epoch in range(opts.epochs):
    order = torch.randperm(len(x_train))
    losses = []
    for b in range(0, len(x_train), 20):
        idx = order[b:b + 20]
        z = net(x_train[idx])
        loss = loss_fn(z, t_train[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        step += 1
    with torch.no_grad():
        zv = net(x_val)
        v_loss = F.binary_cross_entropy_with_logits(zv, t_val).item()
        v_acc = ((zv > 0).float() == t_val).float().mean().item()
        zmax = zv.abs().max().item()
    print(f"epoch {epoch} train_loss {sum(losses)/len(losses):.4f} val_loss {v_loss:.4f} val_pixacc {v_acc:.4f} max|logit| {zmax:.1f}")

with torch.no_grad():
    tr_loss = F.binary_cross_entropy_with_logits(net(x_train), t_train).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": v_loss, "val_acc": round(v_acc, 4), "train_loss": tr_loss,
                                      "chance_acc": round(1 - t_val.mean().item(), 4)}))
