# expect:
# allow:
# forbid: *
# evidence: contrastive loss 3.57 -> 2.51 (uniform ln(255)=5.54); linear probe on frozen features: val_acc 0.991, val_loss 0.033 (chance 0.125)
"""SimCLR-style self-supervised pre-training, scaled down: two augmented views of synthetic
32-D "sensor windows" (8 latent classes, labels unused in pre-training), an MLP encoder + projection
head, NT-Xent (InfoNCE, temperature 0.2) computed as cross_entropy over the 2N x 2N similarity
matrix, LARS-free AdamW + warm-up/cosine, then the standard linear-probe evaluation on frozen
features (labels used only there). Healthy: the linear probe on held-out data is far above chance.
"""
import json, math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def make_data(n, g, protos, mix):
    y = torch.randint(0, 8, (n,), generator=g)
    z = protos[y] + 0.5 * torch.randn(n, 6, generator=g)
    x = torch.tanh(z @ mix) + 0.1 * torch.randn(n, 32, generator=g)
    return x, y


def augment(x, g):
    scale = 1 + 0.2 * torch.randn(x.shape[0], 1, generator=g)
    keep = (torch.rand(x.shape, generator=g) > 0.2).float()
    return (x * scale * keep + 0.15 * torch.randn(x.shape, generator=g))


class SimCLR(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(32, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, 128))
        self.projector = nn.Sequential(nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 64))

    def forward(self, x):
        return self.projector(self.backbone(x))


def nt_xent(z1, z2, tau=0.2):
    z = F.normalize(torch.cat([z1, z2]), dim=1); n = z1.shape[0]
    sim = z @ z.t() / tau
    sim.fill_diagonal_(float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, targets)


def main():
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    protos = torch.randn(8, 6, generator=g) * 1.5; mix = torch.randn(6, 32, generator=g) / 2
    x_unlab, _ = make_data(4000, g, protos, mix)
    x_lab, y_lab = make_data(800, g, protos, mix); x_val, y_val = make_data(800, g, protos, mix)
    model = SimCLR()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    epochs, bs = 10, 128; ipe = len(x_unlab) // bs; total = epochs * ipe
    step = 0
    for epoch in range(epochs):
        model.train(); perm = torch.randperm(len(x_unlab), generator=g); tot = 0.0
        for i in range(ipe):
            lr = 2e-3 * min(1, (step + 1) / ipe) * 0.5 * (1 + math.cos(math.pi * step / total))
            for pg in opt.param_groups:
                pg["lr"] = lr
            x = x_unlab[perm[i * bs:(i + 1) * bs]]
            loss = nt_xent(model(augment(x, g)), model(augment(x, g)))
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); step += 1
        print(f"Epoch: [{epoch}]  lr: {lr:.6f}  contrastive loss: {tot / ipe:.4f}  (uniform = ln(2N-1) = {math.log(2 * bs - 1):.3f})")
    # linear probe on frozen backbone features
    model.eval()
    with torch.no_grad():
        f_lab, f_val = model.backbone(x_lab), model.backbone(x_val)
        mu, sd = f_lab.mean(0), f_lab.std(0) + 1e-6; f_lab = (f_lab - mu) / sd; f_val = (f_val - mu) / sd
    probe = nn.Linear(128, 8); popt = torch.optim.SGD(probe.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    for ep in range(30):
        perm = torch.randperm(len(f_lab), generator=g)
        for i in range(0, len(f_lab), 100):
            idx = perm[i:i + 100]; l = F.cross_entropy(probe(f_lab[idx]), y_lab[idx])
            popt.zero_grad(); l.backward(); popt.step()
        if ep % 10 == 9:
            with torch.no_grad():
                o = probe(f_val); vl = F.cross_entropy(o, y_val).item(); va = (o.argmax(1) == y_val).float().mean().item()
            print(f"linear probe epoch {ep}: train_loss {l.item():.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "contrastive_loss": round(tot / ipe, 4),
                                         "chance_acc": 0.125}))


if __name__ == "__main__":
    main()
