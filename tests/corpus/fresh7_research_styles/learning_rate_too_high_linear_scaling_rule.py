# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, high_bias, dead_units
# forbid: *
# evidence: planted (lr 0.256): train loss stalls ~0.8-1.1 for epochs 1-6 while lr>0.1, val_acc oscillates 0.53-0.74, ends 0.868 / val_loss 0.430 only after cosine decay; control (lr 1e-3): val_acc 0.978, val_loss 0.071 (0.93 after 2 epochs)
# control: --control
"""MAE main_finetune.py-style classification fine-tune, scaled down: a small pre-norm transformer
over 8 tokens of synthetic sensor features, AdamW, per-iteration half-cycle cosine with warm-up
(MAE's lr_sched.adjust_learning_rate), misc.MetricLogger-style printing.

Planted: the "linear scaling rule" forgets the /256: lr = blr * eff_batch_size instead of
blr * eff_batch_size / 256, so AdamW runs at lr 0.256 instead of 1e-3 (256x). --control restores /256.
"""
import argparse, json, math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def adjust_learning_rate(optimizer, epoch, args):
    if epoch < args.warmup_epochs:
        lr = args.lr * epoch / args.warmup_epochs
    else:
        lr = args.min_lr + (args.lr - args.min_lr) * 0.5 * (
            1.0 + math.cos(math.pi * (epoch - args.warmup_epochs) / (args.epochs - args.warmup_epochs)))
    for pg in optimizer.param_groups:
        pg["lr"] = lr * pg.get("lr_scale", 1.0)
    return lr


class Net(nn.Module):
    def __init__(self, d=64, depth=2, ncls=5):
        super().__init__()
        self.embed = nn.Linear(6, d); self.pos = nn.Parameter(torch.zeros(1, 8, d))
        layer = nn.TransformerEncoderLayer(d, 4, 2 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.fc_norm = nn.LayerNorm(d); self.head = nn.Linear(d, ncls)

    def forward(self, x):
        return self.head(self.fc_norm(self.enc(self.embed(x) + self.pos).mean(1)))


def make_data(n, g, proto):
    y = torch.randint(0, 5, (n,), generator=g)
    x = proto[y] * (0.7 + 0.6 * torch.rand(n, 1, 1, generator=g)) + 0.9 * torch.randn(n, 8, 6, generator=g)
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true"); ap.add_argument("--blr", type=float, default=4e-3)
    ap.add_argument("--batch_size", type=int, default=64); ap.add_argument("--epochs", type=int, default=10)
    args = ap.parse_args(); args.warmup_epochs = 1; args.min_lr = 1e-6
    eff_batch_size = args.batch_size * 1  # accum_iter * world_size
    args.lr = args.blr * eff_batch_size / 256 if args.control else args.blr * eff_batch_size
    print(f"base lr: {args.blr:.2e}  actual lr: {args.lr:.2e}  effective batch size: {eff_batch_size}")
    torch.manual_seed(1); g = torch.Generator().manual_seed(1)
    proto = torch.randn(5, 8, 6, generator=g)
    xtr, ytr = make_data(2000, g, proto); xva, yva = make_data(600, g, proto)
    model = Net()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.05)
    ipe = len(xtr) // args.batch_size
    for epoch in range(args.epochs):
        model.train(); perm = torch.randperm(len(xtr), generator=g); losses = []
        for it in range(ipe):
            lr = adjust_learning_rate(opt, it / ipe + epoch, args)
            idx = perm[it * args.batch_size:(it + 1) * args.batch_size]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            if not math.isfinite(loss.item()):
                print(f"Loss is {loss.item()}, stopping training"); break
            opt.zero_grad(); loss.backward(); opt.step(); losses.append(loss.item())
            if it % 10 == 0:
                print(f"Epoch: [{epoch}]  [{it:>2}/{ipe}]  lr: {lr:.6f}  loss: {loss.item():.4f} ({sum(losses) / len(losses):.4f})")
        model.eval()
        with torch.no_grad():
            out = model(xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        print(f"* Acc@1 {va * 100:.3f} loss {vl:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                         "train_loss": round(sum(losses) / len(losses), 4), "chance_acc": 0.2}))


if __name__ == "__main__":
    main()
