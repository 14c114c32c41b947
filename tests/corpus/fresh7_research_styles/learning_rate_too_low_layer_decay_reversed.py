# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (scales reversed: head lr 3.2e-7, last block 1.6e-6): fine-tune train loss 1.3862 -> 1.3853 over 8 epochs (ln4 = 1.386), val_loss 1.385, val_acc 0.73; control (head lr 1e-3): train loss 0.70, val_loss 0.681, val_acc 0.754 (chance 0.25)
# control: --control
"""BEiT/MAE-style fine-tuning with layer-wise lr decay (param_groups_lrd): a small transformer
encoder is "pre-trained" in phase 1 (10-way task on synthetic token sequences, standing in for a
loaded checkpoint), then fine-tuned on a new 4-way task with a freshly initialised head, AdamW,
per-group lr = lr * lr_scale, warm-up + cosine.

Planted: the per-layer scales are built as layer_decay ** (num_layers + 1 - layer_id) but then
reversed ("to match param order"), so the new head gets 0.2**5 * 1e-3 = 3.2e-7 and the patch
embedding gets the full 1e-3. The randomly initialised head cannot move; fine-tuning stalls.
--control uses the scales in the right order (head 1e-3, embedding 3.2e-7).
"""
import argparse, json, math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
NUM_LAYERS = 4


class Encoder(nn.Module):
    def __init__(self, ncls, d=64):
        super().__init__()
        self.patch_embed = nn.Linear(8, d); self.pos_embed = nn.Parameter(torch.randn(1, 12, d) * 0.02)
        self.blocks = nn.ModuleList([nn.TransformerEncoderLayer(d, 4, 2 * d, 0.0, "gelu", batch_first=True, norm_first=True)
                                     for _ in range(NUM_LAYERS)])
        self.fc_norm = nn.LayerNorm(d); self.head = nn.Linear(d, ncls)

    def forward(self, x):
        x = self.patch_embed(x) + self.pos_embed
        for b in self.blocks:
            x = b(x)
        return self.head(self.fc_norm(x.mean(1)))


def get_layer_id(name):
    if name.startswith(("patch_embed", "pos_embed")):
        return 0
    if name.startswith("blocks."):
        return int(name.split(".")[1]) + 1
    return NUM_LAYERS + 1


def param_groups_lrd(model, weight_decay, layer_decay, reverse_bug):
    scales = [layer_decay ** (NUM_LAYERS + 1 - i) for i in range(NUM_LAYERS + 2)]
    if reverse_bug:
        scales = list(reversed(scales))
    groups = {}
    for n, p in model.named_parameters():
        lid = get_layer_id(n); wd = 0.0 if p.ndim == 1 or n.endswith("pos_embed") else weight_decay
        key = (lid, wd)
        groups.setdefault(key, {"params": [], "weight_decay": wd, "lr_scale": scales[lid], "name": f"layer_{lid}"})["params"].append(p)
    return list(groups.values())


def make_tasks(n, g, P):
    z = torch.randn(n, 12, 4, generator=g)
    x = torch.tanh(z @ P) + 0.1 * torch.randn(n, 12, 8, generator=g)
    s = z[:, :, :2].mean(1)                              # sequence-level latent
    y10 = (torch.atan2(s[:, 1], s[:, 0]) / (2 * math.pi) * 10 + 5).long().clamp(0, 9)
    y4 = (s[:, 0] > 0).long() * 2 + (s[:, 1] > 0).long()
    return x, y10, y4


def train(model, opt, x, y, epochs, g, bs, base_lr, tag, xv, yv):
    ipe = len(x) // bs; total = epochs * ipe; step = 0
    for ep in range(epochs):
        model.train(); perm = torch.randperm(len(x), generator=g); tot = 0.0
        for i in range(ipe):
            lr = base_lr * min(1, (step + 1) / ipe) * 0.5 * (1 + math.cos(math.pi * step / total))
            for pg in opt.param_groups:
                pg["lr"] = lr * pg.get("lr_scale", 1.0)
            idx = perm[i * bs:(i + 1) * bs]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); step += 1
        model.eval()
        with torch.no_grad():
            o = model(xv); vl = F.cross_entropy(o, yv).item(); va = (o.argmax(1) == yv).float().mean().item()
        print(f"[{tag}] Epoch: [{ep}]  lr: {lr:.2e}  loss: {tot / ipe:.4f}  val_loss: {vl:.4f}  acc1: {va:.4f}")
    return vl, va, tot / ipe


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    P = torch.randn(4, 8, generator=g)
    xp, y10, _ = make_tasks(3000, g, P); xpv, y10v, _ = make_tasks(500, g, P)
    model = Encoder(10)
    train(model, torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05), xp, y10, 4, g, 64, 1e-3, "pretrain", xpv, y10v)
    # ---- fine-tune: new head for a 4-way task, layer-wise lr decay ----
    model.head = nn.Linear(64, 4); nn.init.trunc_normal_(model.head.weight, std=2e-5); nn.init.zeros_(model.head.bias)
    xf, _, y4 = make_tasks(600, g, P); xfv, _, y4v = make_tasks(500, g, P)
    groups = param_groups_lrd(model, 0.05, layer_decay=0.2, reverse_bug=not args.control)
    print("lr_scale per group: " + ", ".join(f"{grp['name']}={grp['lr_scale']:.1e}" for grp in groups if grp["weight_decay"]))
    opt = torch.optim.AdamW(groups, lr=1e-3)
    w0 = model.head.weight.detach().clone()
    vl, va, tl = train(model, opt, xf, y4, 8, g, 32, 1e-3, "finetune", xfv, y4v)
    rel = ((model.head.weight - w0).norm() / w0.norm()).item()
    print(f"probe: head weight relative change over fine-tuning {rel:.2e}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
