# expect:
# allow:
# forbid: *
# evidence: spirals with 3% label noise: val_acc 0.935 (majority 0.511), val_loss 0.251, train_loss 0.216, val loss decreasing to the end
# OneCycleLR with total_steps computed correctly (steps_per_epoch * epochs), batch size 8, so
# the per-step loss is very noisy; the per-epoch mean goes down smoothly.
import json
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def get_data():
    g = torch.Generator().manual_seed(8)
    x = torch.rand(3000, 2, generator=g) * 4 - 2
    r = x.norm(dim=1)
    theta = torch.atan2(x[:, 1], x[:, 0])
    y = ((torch.sin(2 * theta + 2 * r) > 0).long())               # two interleaved spirals
    flip = torch.rand(3000, generator=g) < 0.03                      # 3% label noise
    y = torch.where(flip, 1 - y, y)
    return x[:2200], y[:2200], x[2200:], y[2200:]


class SpiralNet(nn.Module):
    def __init__(self, h=96):
        super().__init__()
        self.l1, self.l2, self.l3, self.out = nn.Linear(2, h), nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, 2)

    def forward(self, x):
        x = F.silu(self.l1(x)); x = F.silu(self.l2(x)); x = F.silu(self.l3(x))
        return self.out(x)


def main():
    torch.manual_seed(8); torch.set_num_threads(1)
    xtr, ytr, xva, yva = get_data()
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=8, shuffle=True)
    epochs = 12
    net = SpiralNet()
    opt = torch.optim.AdamW(net.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, steps_per_epoch=len(dl), epochs=epochs)
    for ep in range(epochs):
        net.train(); losses = []
        for xb, yb in dl:
            loss = F.cross_entropy(net(xb), yb)
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
            losses.append(loss.item())
        net.eval()
        with torch.no_grad():
            o = net(xva)
            vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        tl = sum(losses) / len(losses)
        print(f"epoch {ep:2d} lr {sched.get_last_lr()[0]:.2e} train_loss {tl:.4f} (step std {torch.tensor(losses).std():.3f}) val_loss {vl:.4f} val_acc {va:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": max(yva.float().mean().item(), 1 - yva.float().mean().item())}))


if __name__ == "__main__":
    main()
