# expect:
# forbid: *
# evidence: val_acc 0.966 (chance 0.25), val_loss 0.175 vs train_loss 0.155 (small gap); loss falls steadily through the one-cycle schedule
# CNN with BatchNorm on synthetic 20x20 shape images (square / disc / plus / ring), OneCycleLR + SGD.
import json
import torch
import torch.nn as nn

torch.manual_seed(2)
torch.set_num_threads(1)
S = 20
yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")


def draw(kind, cx, cy, r):
    dx, dy = xx - cx, yy - cy
    if kind == 0:
        return ((dx.abs() <= r) & (dy.abs() <= r)).float()
    d = (dx ** 2 + dy ** 2).sqrt()
    if kind == 1:
        return (d <= r).float()
    if kind == 2:
        return (((dx.abs() <= r) & (dy.abs() <= 1)) | ((dy.abs() <= r) & (dx.abs() <= 1))).float()
    return ((d <= r) & (d >= r - 1.5)).float()


def dataset(n, g):
    ys = torch.randint(0, 4, (n,), generator=g)
    imgs = torch.empty(n, 1, S, S)
    for i in range(n):
        r = 3 + 3 * torch.rand(1, generator=g).item()
        cx, cy = (6 + 8 * torch.rand(2, generator=g)).tolist()
        imgs[i, 0] = draw(int(ys[i]), cx, cy, r)
    imgs += 0.2 * torch.randn(imgs.shape, generator=g)
    return imgs, ys


g = torch.Generator().manual_seed(7)
Xtr, Ytr = dataset(1500, g)
Xva, Yva = dataset(500, g)
mu, sd = Xtr.mean(), Xtr.std()
Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2))


model = nn.Sequential(block(1, 12), block(12, 24), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(24, 4))
EPOCHS, BS = 12, 50
steps_per_epoch = len(Xtr) // BS
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.02, epochs=EPOCHS, steps_per_epoch=steps_per_epoch)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(Xtr))
    losses = []
    for s in range(steps_per_epoch):
        b = perm[s * BS:(s + 1) * BS]
        loss = loss_fn(model(Xtr[b]), Ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        val_loss = loss_fn(out, Yva).item()
        val_acc = (out.argmax(1) == Yva).float().mean().item()
    train_loss = sum(losses) / len(losses)
    print(f"epoch {epoch + 1:2d} lr={sched.get_last_lr()[0]:.4f} train_loss={train_loss:.4f} val_loss={val_loss:.4f} val_acc={val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 4), "chance_acc": 0.25}))
