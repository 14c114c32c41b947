# expect:
# allow:
# forbid: *
# evidence: MLP-Mixer reaches val_acc 0.984 / val_loss 0.040 on 6 texture classes (chance 0.167); train_loss 0.0043 (fits training set)
import json
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

CFG = dict(img=16, patch=4, dim=32, token_mlp=32, channel_mlp=64, blocks=3,
           n_train=1500, n_val=500, epochs=10, batch=50, lr=3e-3, wd=1e-4, seed=11)
TEXTURES = ("h_stripes", "v_stripes", "d_stripes", "checker", "dots", "blobs")


def make_textures(n, seed, img=16):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, len(TEXTURES), (n,), generator=g)
    r = torch.arange(img).float()
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    out = torch.empty(n, 1, img, img)
    for i in range(n):
        period = 3 + 4 * torch.rand(1, generator=g).item()
        ph = 2 * math.pi * torch.rand(1, generator=g).item()
        w = 2 * math.pi / period
        k = TEXTURES[y[i]]
        if k == "h_stripes":
            t = torch.sin(w * yy + ph)
        elif k == "v_stripes":
            t = torch.sin(w * xx + ph)
        elif k == "d_stripes":
            s = 1 if torch.rand(1, generator=g).item() < 0.5 else -1
            t = torch.sin(w * (xx + s * yy) / 1.414 + ph)
        elif k == "checker":
            t = torch.sign(torch.sin(w * xx + ph) * torch.sin(w * yy + ph))
        elif k == "dots":
            t = ((torch.sin(w * xx + ph) > 0.7) & (torch.sin(w * yy + ph) > 0.7)).float() * 2 - 1
        else:
            t = F.avg_pool2d(torch.randn(1, 1, img + 4, img + 4, generator=g), 5, 1).squeeze() * 4
        out[i, 0] = t.clamp(-1, 1) * (0.5 + 0.5 * torch.rand(1, generator=g).item())
    out += 0.3 * torch.randn(out.shape, generator=g)
    return out, y


class MixerBlock(nn.Module):
    def __init__(self, tokens, dim, tok_hidden, ch_hidden):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.token_mlp = nn.Sequential(nn.Linear(tokens, tok_hidden), nn.GELU(), nn.Linear(tok_hidden, tokens))
        self.ln2 = nn.LayerNorm(dim)
        self.channel_mlp = nn.Sequential(nn.Linear(dim, ch_hidden), nn.GELU(), nn.Linear(ch_hidden, dim))

    def forward(self, x):                                  # x: (B, tokens, dim)
        x = x + self.token_mlp(self.ln1(x).transpose(1, 2)).transpose(1, 2)
        return x + self.channel_mlp(self.ln2(x))


class Mixer(nn.Module):
    def __init__(self, c, n_classes):
        super().__init__()
        tokens = (c["img"] // c["patch"]) ** 2
        self.stem = nn.Conv2d(1, c["dim"], c["patch"], c["patch"])
        self.blocks = nn.Sequential(*[MixerBlock(tokens, c["dim"], c["token_mlp"], c["channel_mlp"])
                                      for _ in range(c["blocks"])])
        self.ln = nn.LayerNorm(c["dim"])
        self.head = nn.Linear(c["dim"], n_classes)

    def forward(self, x):
        x = self.stem(x).flatten(2).transpose(1, 2)
        return self.head(self.ln(self.blocks(x)).mean(1))


def run(c):
    torch.set_num_threads(1)
    torch.manual_seed(c["seed"])
    xtr, ytr = make_textures(c["n_train"], c["seed"] + 1)
    xva, yva = make_textures(c["n_val"], c["seed"] + 2)
    model = Mixer(c, len(TEXTURES))
    opt = torch.optim.AdamW(model.parameters(), lr=c["lr"], weight_decay=c["wd"])
    n_steps = c["epochs"] * (c["n_train"] // c["batch"])
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, n_steps, eta_min=1e-5)
    hist = []
    for ep in range(c["epochs"]):
        model.train()
        perm = torch.randperm(c["n_train"])
        tl = []
        for b in range(c["n_train"] // c["batch"]):
            idx = perm[b * c["batch"]:(b + 1) * c["batch"]]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tl.append(loss.item())
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        rec = dict(epoch=ep, train_loss=sum(tl) / len(tl), val_loss=F.cross_entropy(lo, yva).item(),
                   val_acc=(lo.argmax(1) == yva).float().mean().item())
        hist.append(rec)
        print("  ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in rec.items()))
    return hist[-1]


if __name__ == "__main__":
    last = run(CFG)
    sys.stdout.write("CORPUS_METRIC " + json.dumps({
        "train_loss": round(last["train_loss"], 4), "val_loss": round(last["val_loss"], 4),
        "val_acc": round(last["val_acc"], 4), "chance_acc": round(1 / len(TEXTURES), 4)}) + "\n")
