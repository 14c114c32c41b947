# expect:
# allow:
# forbid: *
# evidence: CNN with a hand-written Swish autograd.Function (passes gradcheck) reads noisy bitmap digits at val_acc 0.935, val_loss 0.17 (epoch0 1.34; chance 0.10), train_loss 0.10
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

FONT_3x5 = {
    0: "111101101101111", 1: "010110010010111", 2: "111001111100111", 3: "111001111001111",
    4: "101101111001001", 5: "111100111001111", 6: "111100111101111", 7: "111001010010010",
    8: "111101111101111", 9: "111101111001111",
}


class SwishFn(torch.autograd.Function):
    """swish(x) = x * sigmoid(beta x); saves memory by recomputing sigmoid in backward."""

    @staticmethod
    def forward(ctx, x, beta):
        ctx.save_for_backward(x, beta)
        return x * torch.sigmoid(beta * x)

    @staticmethod
    def backward(ctx, grad_out):
        x, beta = ctx.saved_tensors
        s = torch.sigmoid(beta * x)
        grad_x = grad_out * (s + beta * x * s * (1 - s))
        grad_beta = (grad_out * x * x * s * (1 - s)).sum().reshape(beta.shape)
        return grad_x, grad_beta


class Swish(nn.Module):
    def __init__(self):
        super().__init__()
        self.beta = nn.Parameter(torch.ones(1))

    def forward(self, x):
        return SwishFn.apply(x, self.beta)


class DigitNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), Swish(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), Swish(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 4 * 4, 64), Swish(), nn.Dropout(0.2), nn.Linear(64, 10))

    def forward(self, x):
        return self.body(x)


class DigitData:
    def __init__(self, n, seed):
        g = torch.Generator().manual_seed(seed)
        self.y = torch.randint(0, 10, (n,), generator=g)
        self.x = torch.zeros(n, 1, 16, 16)
        for i in range(n):
            bm = torch.tensor([float(c) for c in FONT_3x5[int(self.y[i])]]).view(5, 3)
            sc = int(torch.randint(2, 4, (1,), generator=g))                 # scale 2x or 3x
            glyph = bm.repeat_interleave(sc, 0).repeat_interleave(sc, 1)
            h, w = glyph.shape
            oy = int(torch.randint(0, 16 - h + 1, (1,), generator=g))
            ox = int(torch.randint(0, 16 - w + 1, (1,), generator=g))
            self.x[i, 0, oy:oy + h, ox:ox + w] = glyph
        self.x = self.x + 0.3 * torch.randn(self.x.shape, generator=g)

    def batches(self, bs, shuffle=True):
        order = torch.randperm(len(self.y)) if shuffle else torch.arange(len(self.y))
        for i in range(0, len(order), bs):
            j = order[i:i + bs]
            yield self.x[j], self.y[j]


class Trainer:
    def __init__(self, model, lr=2e-3, epochs=8):
        self.model, self.epochs = model, epochs
        self.opt = torch.optim.Adam(model.parameters(), lr=lr)
        self.sched = torch.optim.lr_scheduler.MultiStepLR(self.opt, milestones=[5, 7], gamma=0.3)

    def fit(self, train, val):
        for ep in range(self.epochs):
            self.model.train()
            tot, n = 0.0, 0
            for xb, yb in train.batches(32):
                loss = F.cross_entropy(self.model(xb), yb)
                self.opt.zero_grad()
                loss.backward()
                self.opt.step()
                tot, n = tot + loss.item() * len(yb), n + len(yb)
            self.sched.step()
            self.train_loss = tot / n
            self.val_loss, self.val_acc = self.evaluate(val)
            print(f"epoch {ep}: train_loss {self.train_loss:.4f} val_loss {self.val_loss:.4f} "
                  f"val_acc {self.val_acc:.3f}")

    @torch.no_grad()
    def evaluate(self, data):
        self.model.eval()
        out = self.model(data.x)
        return F.cross_entropy(out, data.y).item(), (out.argmax(1) == data.y).float().mean().item()


if __name__ == "__main__":
    torch.set_num_threads(1)
    torch.manual_seed(7)
    xx = torch.randn(6, dtype=torch.double, requires_grad=True)
    bb = torch.tensor([0.8], dtype=torch.double, requires_grad=True)
    assert torch.autograd.gradcheck(SwishFn.apply, (xx, bb)), "custom backward is wrong"
    print("gradcheck ok")
    t = Trainer(DigitNet())
    t.fit(DigitData(2000, 1), DigitData(600, 2))
    print("CORPUS_METRIC " + json.dumps({"train_loss": round(t.train_loss, 4), "val_loss": round(t.val_loss, 4),
                                         "val_acc": round(t.val_acc, 4), "chance_acc": 0.1}))
