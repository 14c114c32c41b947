# expect:
# allow:
# forbid: *
# evidence: fine-tuned target task (300 labelled images): val_acc 0.96 (chance 0.33), val_loss 0.104 ~ train_loss 0.108, val loss still falling slowly at lr 1e-4
# Two-stage: (1) pre-train a small residual CNN on 6 "source" texture classes; (2) swap the head and fine-tune the
# whole network on 3 new target classes from only 300 labelled images, lr 1e-4 for the backbone and 1e-2 for the head,
# backbone BatchNorm kept in eval mode (frozen running stats). Reports the target-task held-out metric.
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
rng = torch.Generator().manual_seed(3)
S = 16
coords = torch.arange(S).float()
YY, XX = torch.meshgrid(coords, coords, indexing="ij")


def gratings(labels, n_orient=9):
    n = len(labels)
    th = labels.float() * torch.pi / n_orient + 0.08 * torch.randn(n, generator=rng)
    f = 0.7 + 0.3 * torch.rand(n, generator=rng)
    ph = 2 * torch.pi * torch.rand(n, generator=rng)
    img = torch.sin(f[:, None, None] * (XX * th.cos()[:, None, None] + YY * th.sin()[:, None, None]) + ph[:, None, None])
    return (img + 0.9 * torch.randn(img.shape, generator=rng)).unsqueeze(1)


class Res(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.f = nn.Sequential(nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(),
                               nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        return F.relu(x + self.f(x))


backbone = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(), Res(16),
                         nn.MaxPool2d(2), Res(16), nn.AdaptiveAvgPool2d(1), nn.Flatten())

# ---- stage 1: source task, classes = orientations 0..5 of 9 ----
src_y = torch.randint(0, 6, (1500,), generator=rng)
src_x = gratings(src_y)
head = nn.Linear(16, 6)
opt = torch.optim.Adam(list(backbone.parameters()) + list(head.parameters()), lr=3e-3)
for ep in range(4):
    perm = torch.randperm(1500)
    for i in range(0, 1500, 64):
        b = perm[i:i + 64]
        loss = F.cross_entropy(head(backbone(src_x[b])), src_y[b])
        opt.zero_grad(); loss.backward(); opt.step()
    print(f"pretrain epoch {ep} last-batch loss {loss.item():.4f}")

# ---- stage 2: target task, new orientations 6,7,8 -> labels 0,1,2 ----
tgt_y = torch.randint(0, 3, (300,), generator=rng)
tgt_x = gratings(tgt_y + 6)
val_y = torch.randint(0, 3, (600,), generator=rng)
val_x = gratings(val_y + 6)
new_head = nn.Linear(16, 3)
opt = torch.optim.AdamW([{"params": backbone.parameters(), "lr": 1e-4},
                         {"params": new_head.parameters(), "lr": 1e-2}], weight_decay=1e-2)


def evaluate(x, y):
    backbone.eval()
    with torch.no_grad():
        out = new_head(backbone(x))
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


for ep in range(15):
    backbone.eval()  # keep BN statistics from pre-training (small fine-tuning set)
    perm = torch.randperm(300)
    for i in range(0, 300, 16):
        b = perm[i:i + 16]
        loss = F.cross_entropy(new_head(backbone(tgt_x[b])), tgt_y[b])
        opt.zero_grad(); loss.backward(); opt.step()
    tl, ta = evaluate(tgt_x, tgt_y)
    vl, va = evaluate(val_x, val_y)
    print(f"finetune epoch {ep:2d} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "train_acc": round(ta, 4), "chance_acc": round(1 / 3, 4)}))
