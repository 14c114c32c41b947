# expect:
# allow:
# forbid: *
# evidence: pretrain val_acc 0.96 (12-way); target task: frozen-head stage val_acc 0.9975, after unfreezing val_acc 1.00, val_loss 0.175 (train 0.195), val loss falls every epoch (chance 0.25)
"""Transfer-learning recipe in the style of the torchvision fine-tuning tutorial / timm fine-tune:
a small CNN backbone is pre-trained on a large synthetic 12-way "texture" task (stands in for a
downloaded ImageNet checkpoint; it is saved to and re-loaded from a temp dir state_dict), then
fine-tuned on a small 4-way target task (400 labelled images) that shares the textures:
stage 1 = backbone frozen (requires_grad False, BN in eval), new head only, lr 1e-2 for 3 epochs;
stage 2 = unfreeze all, discriminative lrs (backbone 3e-4, head 3e-3), cosine, 6 epochs. Healthy.
"""
import json, math, os, tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def textures(n, g, bank, ids):
    k = ids[torch.randint(0, len(ids), (n,), generator=g)]
    sh = torch.randint(0, 4, (n, 2), generator=g)
    x = bank[k]
    x = torch.stack([torch.roll(x[i], (int(sh[i, 0]), int(sh[i, 1])), (1, 2)) for i in range(n)])
    return x + 0.7 * torch.randn(n, 1, 16, 16, generator=g), k


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 24, 3, padding=1), nn.BatchNorm2d(24), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(24, 48, 3, padding=1), nn.BatchNorm2d(48), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())

    def forward(self, x):
        return self.features(x)


def fit(model, params_groups, x, y, xv, yv, epochs, g, tag, freeze_bn=False, bs=32):
    opt = torch.optim.AdamW(params_groups, weight_decay=1e-4); base = [pg["lr"] for pg in opt.param_groups]
    nb = len(x) // bs; total = epochs * nb; step = 0
    for ep in range(epochs):
        model.train()
        if freeze_bn:
            model[0].eval()
        perm = torch.randperm(len(x), generator=g); tot = 0.0
        for i in range(nb):
            for pg, b in zip(opt.param_groups, base):
                pg["lr"] = b * 0.5 * (1 + math.cos(math.pi * step / total))
            idx = perm[i * bs:(i + 1) * bs]; loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); step += 1
        model.eval()
        with torch.no_grad():
            o = model(xv); vl = F.cross_entropy(o, yv).item(); va = (o.argmax(1) == yv).float().mean().item()
        print(f"[{tag}] epoch {ep}  train_loss {tot / nb:.4f}  val_loss {vl:.4f}  val_acc {va:.4f}")
    return vl, va, tot / nb


def main():
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    bank = F.avg_pool2d(torch.randn(16, 1, 19, 19, generator=g), 4, 1); bank = bank / bank.std((1, 2, 3), keepdim=True)
    src_ids, tgt_ids = torch.arange(0, 12), torch.tensor([12, 13, 14, 15])
    # target textures are blends of source textures, so pretrained features transfer
    bank[12:] = 0.6 * bank[12:] + 0.8 * bank[[0, 3, 6, 9]]
    xs, ys = textures(2400, g, bank, src_ids); xsv, ysv = textures(400, g, bank, src_ids)
    pre = nn.Sequential(Backbone(), nn.Linear(48, 12))
    fit(pre, [{"params": pre.parameters(), "lr": 3e-3}], xs, ys, xsv, ysv, 4, g, "pretrain")
    ckpt = os.path.join(tempfile.mkdtemp(), "backbone.pth"); torch.save(pre[0].state_dict(), ckpt)
    # ---- fine-tuning ----
    backbone = Backbone(); backbone.load_state_dict(torch.load(ckpt, map_location="cpu"))
    model = nn.Sequential(backbone, nn.Linear(48, 4))
    xt, yt = textures(400, g, bank, tgt_ids); xtv, ytv = textures(400, g, bank, tgt_ids); yt -= 12; ytv -= 12
    for p in backbone.parameters():
        p.requires_grad = False
    fit(model, [{"params": model[1].parameters(), "lr": 1e-2}], xt, yt, xtv, ytv, 3, g, "stage1-frozen", freeze_bn=True)
    for p in backbone.parameters():
        p.requires_grad = True
    vl, va, tl = fit(model, [{"params": backbone.parameters(), "lr": 3e-4}, {"params": model[1].parameters(), "lr": 3e-3}],
                     xt, yt, xtv, ytv, 6, g, "stage2-unfrozen")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
