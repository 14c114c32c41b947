# expect:
# allow:
# forbid: *
# evidence: 8-class gaussian blobs (bayes-limited), accum=4 x bs16, Adam 4e-4: val_acc 0.932, val_loss 0.211, train_loss 0.182 (chance 0.125)
# Deliberate gradient accumulation: zero_grad() is called only every `accum` micro-batches,
# with the loss divided by `accum`, to emulate a larger batch. This is correct usage.
import json
import torch
from torch import nn
from torch.utils.data import TensorDataset, DataLoader


class Trainer:
    def __init__(self, model, loader, val, accum=4, lr=4e-4):
        self.model, self.loader, self.val, self.accum = model, loader, val, accum
        self.opt = torch.optim.Adam(model.parameters(), lr=lr)
        self.crit = nn.CrossEntropyLoss()

    def epoch(self):
        self.model.train()
        self.opt.zero_grad()
        running, n = 0.0, 0
        for step, (xb, yb) in enumerate(self.loader, 1):
            loss = self.crit(self.model(xb), yb)
            (loss / self.accum).backward()
            running += loss.item(); n += 1
            if step % self.accum == 0:
                self.opt.step()
                self.opt.zero_grad()
        return running / n

    @torch.no_grad()
    def evaluate(self):
        self.model.eval()
        xv, yv = self.val
        out = self.model(xv)
        return self.crit(out, yv).item(), (out.argmax(1) == yv).float().mean().item()


def make_data(seed=1):
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(8, 16, generator=g) * 2.0
    y = torch.randint(0, 8, (5000,), generator=g)
    x = centers[y] + torch.randn(5000, 16, generator=g) * 2.4
    return x, y


if __name__ == "__main__":
    torch.manual_seed(0)
    torch.set_num_threads(1)
    x, y = make_data()
    tr = TensorDataset(x[:4000], y[:4000])
    loader = DataLoader(tr, batch_size=16, shuffle=True)
    net = nn.Sequential(nn.Linear(16, 128), nn.GELU(), nn.Linear(128, 128), nn.GELU(), nn.Linear(128, 8))
    t = Trainer(net, loader, (x[4000:], y[4000:]))
    for ep in range(8):
        tl = t.epoch()
        vl, va = t.evaluate()
        print(f"[{ep:02d}] train {tl:.4f}  val {vl:.4f}  acc {va:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": 0.125}))
