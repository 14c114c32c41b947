# expect:
# allow:
# forbid: *
# evidence: F.conv2d/F.linear net, label smoothing 0.1, SGD nesterov with warm-up + cosine; val acc 0.994, val CE 0.135 (chance 0.167)
# A conv net written with torch.nn.functional only (parameters kept in a dict, no nn.Module):
# F.conv2d / F.max_pool2d / F.linear, F.cross_entropy with label smoothing, SGD+momentum,
# linear warm-up then cosine decay via LambdaLR. Data: generated 12x12 glyph images, 6 classes.
import json
import math

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(5)
g = torch.Generator().manual_seed(5)


def make_glyphs(n):
    X = torch.zeros(n, 1, 12, 12)
    y = torch.randint(0, 6, (n,), generator=g)
    for i in range(n):
        r, c = torch.randint(3, 9, (2,), generator=g).tolist()
        k, img = int(y[i]), X[i, 0]
        if k == 0:
            img[r, c - 2:c + 3] = 1
        elif k == 1:
            img[r - 2:r + 3, c] = 1
        elif k == 2:
            img[r - 2:r + 3, c - 2] = 1; img[r - 2:r + 3, c + 2] = 1; img[r - 2, c - 2:c + 3] = 1; img[r + 2, c - 2:c + 3] = 1
        elif k == 3:
            img[r, c - 2:c + 3] = 1; img[r - 2:r + 3, c] = 1
        elif k == 4:
            for d in range(-2, 3):
                img[r + d, c + d] = 1
        else:
            for d in range(-2, 3):
                img[r + d, c - d] = 1
    X += 0.3 * torch.randn(X.shape, generator=g)
    return (X - 0.1) / 0.4, y


xtr, ytr = make_glyphs(3000)
xva, yva = make_glyphs(1000)


def kaiming(*shape):
    fan_in = shape[1] * (shape[2] * shape[3] if len(shape) == 4 else 1)
    return (torch.randn(*shape) * math.sqrt(2.0 / fan_in)).requires_grad_()


params = {
    "c1_w": kaiming(16, 1, 3, 3), "c1_b": torch.zeros(16, requires_grad=True),
    "c2_w": kaiming(32, 16, 3, 3), "c2_b": torch.zeros(32, requires_grad=True),
    "f1_w": kaiming(64, 32 * 3 * 3), "f1_b": torch.zeros(64, requires_grad=True),
    "f2_w": (torch.randn(6, 64) * 0.05).requires_grad_(), "f2_b": torch.zeros(6, requires_grad=True),
}


def net(x, p):
    x = F.max_pool2d(F.relu(F.conv2d(x, p["c1_w"], p["c1_b"], padding=1)), 2)   # 6x6
    x = F.max_pool2d(F.relu(F.conv2d(x, p["c2_w"], p["c2_b"], padding=1)), 2)   # 3x3
    x = F.relu(F.linear(x.flatten(1), p["f1_w"], p["f1_b"]))
    return F.linear(x, p["f2_w"], p["f2_b"])


epochs, bs = 10, 50
steps_per_epoch = len(xtr) // bs
total_steps = epochs * steps_per_epoch
warmup = steps_per_epoch


def lr_lambda(step):
    if step < warmup:
        return (step + 1) / warmup
    progress = (step - warmup) / max(1, total_steps - warmup)
    return 0.5 * (1 + math.cos(math.pi * progress))


opt = torch.optim.SGD(params.values(), lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)

for epoch in range(epochs):
    perm = torch.randperm(len(xtr))
    run = 0.0
    for i in range(steps_per_epoch):
        idx = perm[i * bs:(i + 1) * bs]
        loss = F.cross_entropy(net(xtr[idx], params), ytr[idx], label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        run += loss.item()
    with torch.no_grad():
        out = net(xva, params)
        vloss = F.cross_entropy(out, yva).item()
        vacc = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch + 1:2d} lr {sched.get_last_lr()[0]:.4f} train loss {run / steps_per_epoch:.4f} "
          f"val loss {vloss:.4f} val acc {vacc:.4f}")

with torch.no_grad():
    out = net(xtr, params)
    tl = F.cross_entropy(out, ytr).item()
    ta = (out.argmax(1) == ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": round(1 / 6, 4)}))
