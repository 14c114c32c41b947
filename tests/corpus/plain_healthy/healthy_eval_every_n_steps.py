# expect:
# forbid: *
# evidence: eval every 250 steps: val_acc 1.0 (chance 0.5), val_loss 0.0005 ~ train_loss 0.0003
# Step-based loop (infinite data iterator), evaluation only every 250 steps; MLP with SiLU, Adam, constant lr.
import argparse
import itertools
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--max-steps", type=int, default=1500)
p.add_argument("--eval-every", type=int, default=250)
p.add_argument("--batch-size", type=int, default=32)
args = p.parse_args()

torch.manual_seed(0)
torch.set_num_threads(1)

# two interleaved "moons"-like classes in 2-D lifted to 6-D with a fixed rotation, clean labels
def moons(n, g):
    y = torch.randint(0, 2, (n,), generator=g)
    t = torch.rand(n, generator=g) * torch.pi
    x = torch.stack([torch.cos(t) + y * 1.0, torch.sin(t) * (1 - 2 * y.float()) + y * 0.4], 1)
    x = x + 0.08 * torch.randn(n, 2, generator=g)
    x = torch.cat([x, 0.5 * torch.randn(n, 4, generator=g)], 1)
    return (x - torch.tensor([0.5, 0.2, 0, 0, 0, 0])) / torch.tensor([0.85, 0.55, 0.5, 0.5, 0.5, 0.5]), y


g = torch.Generator().manual_seed(17)
Q, _ = torch.linalg.qr(torch.randn(6, 6, generator=g))
xtr, ytr = moons(2000, g)
xva, yva = moons(800, g)
xtr, xva = xtr @ Q, xva @ Q


def batches():
    while True:
        perm = torch.randperm(len(xtr))
        for i in range(0, len(perm) - args.batch_size + 1, args.batch_size):
            idx = perm[i:i + args.batch_size]
            yield xtr[idx], ytr[idx]


model = nn.Sequential(nn.Linear(6, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 2))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
window = []
for step, (xb, yb) in enumerate(itertools.islice(batches(), args.max_steps), start=1):
    loss = F.cross_entropy(model(xb), yb)
    opt.zero_grad()
    loss.backward()
    opt.step()
    window.append(loss.item())
    if step % args.eval_every == 0:
        model.eval()
        with torch.no_grad():
            out = model(xva)
            vl = F.cross_entropy(out, yva).item()
            va = (out.argmax(1) == yva).float().mean().item()
        model.train()
        print(f"step {step}: train_loss(avg last {len(window)}) {sum(window) / len(window):.4f}  val_loss {vl:.4f}  val_acc {va:.4f}")
        tl = sum(window) / len(window)
        window = []

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.5}))
