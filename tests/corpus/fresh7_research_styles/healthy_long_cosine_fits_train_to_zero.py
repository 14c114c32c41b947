# expect:
# allow:
# forbid: *
# evidence: noise-free labels: train loss 1.01 -> 0.009 over 40 epochs, val loss 0.305 -> 0.067 (min) / 0.069 (end), val_acc 0.980 (majority 0.256); no late rise
# native-log: log.jsonl
# log-expect:
# log-allow:
"""A long (40-epoch) AdamW + warm-up/cosine run, ConvNeXt-recipe flavoured (AdamW wd 0.05, no wd on
norms/biases, EMA-free, lr table per iteration), of a residual MLP with LayerNorm on a noise-free
synthetic 6-class problem (labels are a deterministic piecewise-linear function of 10-D inputs).
Because the labels have no noise, driving the training loss to ~0 is the right outcome and the
held-out loss follows it down; nothing is wrong here. Per-epoch JSON lines in
$CORPUS_LOG_DIR/log.jsonl. Healthy.
"""
import json, math, os, tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class ResMLP(nn.Module):
    def __init__(self, d=128, depth=3):
        super().__init__()
        self.stem = nn.Linear(10, d)
        self.blocks = nn.ModuleList([nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d)) for _ in range(depth)])
        self.norm = nn.LayerNorm(d); self.head = nn.Linear(d, 6)

    def forward(self, x):
        x = self.stem(x)
        for b in self.blocks:
            x = x + b(x)
        return self.head(self.norm(x))


def main():
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    W = torch.randn(6, 10, generator=g); b = 0.5 * torch.randn(6, generator=g)
    label = lambda x: (x @ W.t() + b).argmax(1)
    xtr = torch.randn(8000, 10, generator=g); ytr = label(xtr); xva = torch.randn(1000, 10, generator=g); yva = label(xva)
    model = ResMLP()
    decay = [p for n, p in model.named_parameters() if p.ndim == 2]; other = [p for n, p in model.named_parameters() if p.ndim < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": other, "weight_decay": 0.0}], lr=2e-3)
    epochs, bs = 40, 200; ipe = len(xtr) // bs; total = epochs * ipe; warm = 3 * ipe
    lr_table = [2e-3 * i / warm if i < warm else 1e-6 + (2e-3 - 1e-6) * 0.5 * (1 + math.cos(math.pi * (i - warm) / (total - warm))) for i in range(total)]
    path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "log.jsonl")
    os.makedirs(os.path.dirname(path), exist_ok=True); open(path, "w").close()
    step = 0
    for epoch in range(epochs):
        model.train(); perm = torch.randperm(len(xtr), generator=g); tot = 0.0
        for i in range(ipe):
            for pg in opt.param_groups:
                pg["lr"] = lr_table[step]
            idx = perm[i * bs:(i + 1) * bs]; loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); step += 1
        model.eval()
        with torch.no_grad():
            o = model(xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        rec = {"epoch": epoch, "lr": lr_table[step - 1], "train_loss": tot / ipe, "val_loss": vl, "val_acc": va}
        with open(path, "a") as f:
            f.write(json.dumps(rec) + "\n")
        if epoch % 5 == 4 or epoch == 0:
            print(f"Epoch {epoch:2d}  lr {rec['lr']:.2e}  train_loss {tot / ipe:.5f}  val_loss {vl:.4f}  val_acc {va:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / ipe, 6),
                                         "chance_acc": round(float(torch.bincount(yva).max()) / len(yva), 4)}))


if __name__ == "__main__":
    main()
