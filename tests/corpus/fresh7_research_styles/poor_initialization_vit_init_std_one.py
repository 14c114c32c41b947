# expect: poor_initialization
# allow: non_convergence, exploding_gradients, saturated_activations, learning_rate_too_high, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (std 1.0): init residual-stream std 68.6 after block 1 growing to 171 after block 6 (control 0.047-0.057), attention max-prob 0.96 (control 0.06), grad norm ~1e3-1e4 before clipping; val_acc 0.23 / val_loss 4.60 (chance 0.25); control (std 0.02): val_acc 1.00, val_loss 0.22
# control: --control
"""timm VisionTransformer-style model (pre-norm blocks, cls token, learned pos-embed, 6 blocks of
width 64) trained on synthetic 4-class "which quadrant holds the bright square" 16x16 images, with
AdamW, warm-up + cosine, grad clipping 1.0.

Planted: _init_weights uses trunc_normal_(std=1.0) (a typo for 0.02) on every Linear/patch-embed
weight. The residual stream's scale grows block by block at the start (probe: token std after each
block), attention softmaxes are one-hot and training is much worse. --control uses std=0.02.
"""
import argparse, json, math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads; self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3); self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        q, k, v = self.qkv(x).reshape(B, N, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        attn = (q @ k.transpose(-2, -1) * self.scale).softmax(-1)
        self.last_attn_max = attn.detach().amax(-1).mean().item()
        return self.proj((attn @ v).transpose(1, 2).reshape(B, N, C))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim); self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim); self.fc1 = nn.Linear(dim, 2 * dim); self.fc2 = nn.Linear(2 * dim, dim)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class VisionTransformer(nn.Module):
    def __init__(self, init_std, dim=64, depth=6, heads=4):
        super().__init__()
        self.patch_embed = nn.Conv2d(1, dim, 4, 4)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim)); self.pos_embed = nn.Parameter(torch.zeros(1, 17, dim))
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim); self.head = nn.Linear(dim, 4)
        self.init_std = init_std
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        self.apply(self._init_weights)

    def _init_weights(self, m):
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.trunc_normal_(m.weight, std=self.init_std, a=-2 * self.init_std, b=2 * self.init_std)
            nn.init.zeros_(m.bias)

    def forward(self, x, probe=None):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(len(x), -1, -1), x], 1) + self.pos_embed
        for b in self.blocks:
            x = b(x)
            if probe is not None:
                probe.append(x.std().item())
        return self.head(self.norm(x)[:, 0])


def make_data(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    img = 0.4 * torch.randn(n, 1, 16, 16, generator=g)
    oy = (y // 2) * 8 + torch.randint(0, 5, (n,), generator=g); ox = (y % 2) * 8 + torch.randint(0, 5, (n,), generator=g)
    for i in range(n):
        img[i, 0, oy[i]:oy[i] + 3, ox[i]:ox[i] + 3] += 2.0
    return img, y


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    xtr, ytr = make_data(1000, g); xva, yva = make_data(500, g)
    model = VisionTransformer(0.02 if args.control else 1.0)
    with torch.no_grad():
        stds = []; model(xtr[:64], probe=stds)
    print("probe: init residual-stream std after each block: " + " ".join(f"{s:.3g}" for s in stds)
          + f" | mean max attention prob (last block) {model.blocks[-1].attn.last_attn_max:.3f}")
    decay = [p for n, p in model.named_parameters() if p.ndim > 1 and "pos_embed" not in n and "cls_token" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.ndim > 1 and "pos_embed" not in n and "cls_token" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-3)
    epochs, bs = 6, 40; ipe = len(xtr) // bs; total = epochs * ipe
    for epoch in range(epochs):
        model.train(); perm = torch.randperm(len(xtr), generator=g); tot = 0.0
        for it in range(ipe):
            s = epoch * ipe + it
            for pg in opt.param_groups:
                pg["lr"] = 1e-3 * min(1.0, (s + 1) / ipe) * 0.5 * (1 + math.cos(math.pi * s / total))
            idx = perm[it * bs:(it + 1) * bs]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad(); loss.backward(); gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step()
            tot += loss.item()
        model.eval()
        with torch.no_grad():
            o = model(xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        print(f"Epoch: [{epoch}]  lr: {opt.param_groups[0]['lr']:.6f}  loss: {tot / ipe:.4f}  grad_norm: {gn:.3f}  val_loss: {vl:.4f}  acc1: {va:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / ipe, 4),
                                         "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
