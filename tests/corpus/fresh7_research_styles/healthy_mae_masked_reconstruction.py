# expect:
# allow:
# forbid: *
# evidence: held-out masked-patch MSE 0.110 vs target variance 0.291 (R2 0.62 with 75% of patches masked), train MSE 0.108 (no gap); short plateau in epochs 1-5 then steady decline
# native-log: log.txt
# log-expect:
# log-allow:
"""MAE-style masked-autoencoder pre-training, scaled down: 16x16 synthetic images made of a few
smooth Gaussian bumps, 4x4 patches (16 tokens), random_masking with mask_ratio 0.75, a small
ViT encoder on the visible tokens and a lighter decoder with mask tokens; loss = MSE on masked
patches only with norm_pix_loss=False. AdamW with betas (0.9, 0.95), per-iteration warm-up + cosine,
MetricLogger-style lines and MAE's log.txt (JSON lines) in $CORPUS_LOG_DIR. Healthy: held-out
masked-patch MSE falls well below the per-pixel variance of the targets (regression task).
"""
import json, math, os, tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def bumps(n, g):
    yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    img = torch.zeros(n, 16, 16)
    for _ in range(2):
        c = torch.rand(n, 2, generator=g) * 16; s = 2.5 + 3 * torch.rand(n, generator=g); a = torch.randn(n, generator=g)
        img += a[:, None, None] * torch.exp(-((yy - c[:, 0, None, None]) ** 2 + (xx - c[:, 1, None, None]) ** 2) / (2 * s[:, None, None] ** 2))
    return img + 0.05 * torch.randn(n, 16, 16, generator=g)


def patchify(imgs, p=4):
    n = imgs.shape[0]
    return imgs.reshape(n, 4, p, 4, p).permute(0, 1, 3, 2, 4).reshape(n, 16, p * p)


class MAE(nn.Module):
    def __init__(self, d=64, dd=48, depth=2, ddepth=1):
        super().__init__()
        self.patch_embed = nn.Linear(16, d); self.pos = nn.Parameter(torch.randn(1, 16, d) * 0.02)
        mk = lambda w: nn.TransformerEncoderLayer(w, 4, 4 * w, 0.0, "gelu", batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(mk(d), depth, enable_nested_tensor=False); self.norm = nn.LayerNorm(d)
        self.decoder_embed = nn.Linear(d, dd); self.mask_token = nn.Parameter(torch.zeros(1, 1, dd))
        self.dpos = nn.Parameter(torch.randn(1, 16, dd) * 0.02)
        self.decoder_blocks = nn.TransformerEncoder(mk(dd), ddepth, enable_nested_tensor=False)
        self.decoder_norm = nn.LayerNorm(dd); self.decoder_pred = nn.Linear(dd, 16)
        nn.init.normal_(self.mask_token, std=0.02)

    def random_masking(self, x, mask_ratio, gen):
        N, L, D = x.shape; keep = int(L * (1 - mask_ratio))
        noise = torch.rand(N, L, generator=gen)
        ids_shuffle = noise.argsort(1); ids_restore = ids_shuffle.argsort(1)
        x_masked = torch.gather(x, 1, ids_shuffle[:, :keep, None].expand(-1, -1, D))
        mask = torch.ones(N, L); mask[:, :keep] = 0
        return x_masked, torch.gather(mask, 1, ids_restore), ids_restore

    def forward(self, imgs, mask_ratio=0.75, gen=None):
        target = patchify(imgs)
        x = self.patch_embed(target) + self.pos
        x, mask, ids_restore = self.random_masking(x, mask_ratio, gen)
        x = self.decoder_embed(self.norm(self.blocks(x)))
        mt = self.mask_token.expand(x.shape[0], 16 - x.shape[1], -1)
        x = torch.gather(torch.cat([x, mt], 1), 1, ids_restore[:, :, None].expand(-1, -1, x.shape[2])) + self.dpos
        pred = self.decoder_pred(self.decoder_norm(self.decoder_blocks(x)))
        loss = F.mse_loss(pred, target, reduction="none").mean(-1)
        return (loss * mask).sum() / mask.sum(), pred, mask


def main():
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    xtr = bumps(2000, g); xva = bumps(500, g)
    model = MAE()
    pg = [{"params": [p for p in model.parameters() if p.ndim >= 2], "weight_decay": 0.05},
          {"params": [p for p in model.parameters() if p.ndim < 2], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(pg, lr=1.5e-3, betas=(0.9, 0.95))
    epochs, bs = 14, 64; ipe = len(xtr) // bs; warm = ipe
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(log_dir, exist_ok=True)
    open(os.path.join(log_dir, "log.txt"), "w").close()
    target_var = float(patchify(xva).var())
    for epoch in range(epochs):
        model.train(); perm = torch.randperm(len(xtr), generator=g); tot = 0.0
        for it in range(ipe):
            gi = epoch * ipe + it
            lr = 1.5e-3 * gi / warm if gi < warm else 1e-5 + (1.5e-3 - 1e-5) * 0.5 * (1 + math.cos(math.pi * (gi - warm) / (epochs * ipe - warm)))
            for q in opt.param_groups:
                q["lr"] = lr
            loss, _, _ = model(xtr[perm[it * bs:(it + 1) * bs]], gen=g)
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item()
            if it % 20 == 0:
                print(f"Epoch: [{epoch}]  [{it:>2}/{ipe}]  lr: {lr:.6f}  loss: {loss.item():.4f}")
        model.eval()
        with torch.no_grad():
            vloss, _, _ = model(xva, gen=torch.Generator().manual_seed(123))
        stats = {"train_lr": lr, "train_loss": tot / ipe, "test_loss": vloss.item(), "epoch": epoch}
        print(f"Averaged stats: {stats}")
        with open(os.path.join(log_dir, "log.txt"), "a") as f:
            f.write(json.dumps(stats) + "\n")
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(vloss.item(), 5), "target_var": round(target_var, 5),
                                         "train_mse": round(tot / ipe, 5), "r2": round(1 - vloss.item() / target_var, 4)}))


if __name__ == "__main__":
    main()
