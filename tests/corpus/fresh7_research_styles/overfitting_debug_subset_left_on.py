# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (120 train samples): train_loss 1.62 -> 0.0001, train_acc 1.00, while test_loss rises 2.53 (it 100) -> 5.84 (it 1000), test_acc 0.345; control (3000 samples, same iterations): test_loss 0.59, test_acc 0.795, train_acc 0.97 (majority 0.158)
# control: --control
# native-log: log.txt
# log-expect: overfitting
# log-allow: high_variance
"""DeiT main.py-style run of a ResMLP-like classifier (residual MLP blocks with Affine norms) on
synthetic 10-class 64-D features, trained for a fixed number of iterations (iteration-based like
nanoGPT) with AdamW (weight decay only on matrices), warm-up + cosine lr table, eval every 100
iterations, DeiT's log.txt of JSON lines in $CORPUS_LOG_DIR.

Planted: a debugging option left on, --train-subset 0.04, keeps only 120 of the 3000 training
samples; the ~200K-parameter model memorises them (train loss -> ~0) while held-out loss rises.
--control trains on the full 3000 samples (same iterations, same everything else).
"""
import argparse, json, math, os, tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class Affine(nn.Module):
    def __init__(self, d):
        super().__init__(); self.alpha = nn.Parameter(torch.ones(d)); self.beta = nn.Parameter(torch.zeros(d))

    def forward(self, x):
        return self.alpha * x + self.beta


class ResMLPBlock(nn.Module):
    def __init__(self, d, ls=0.1):
        super().__init__()
        self.norm = Affine(d); self.fc1 = nn.Linear(d, 2 * d); self.fc2 = nn.Linear(2 * d, d)
        self.gamma = nn.Parameter(ls * torch.ones(d))

    def forward(self, x):
        return x + self.gamma * self.fc2(F.gelu(self.fc1(self.norm(x))))


def make_data(n, g, W1, W2):
    x = torch.randn(n, 64, generator=g)
    logits = torch.tanh(x @ W1) @ W2
    y = (logits + 0.2 * torch.randn(n, 10, generator=g)).argmax(1)
    return x, y


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true")
    ap.add_argument("--train-subset", type=float, default=0.04); args = ap.parse_args()
    if args.control:
        args.train_subset = 1.0
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    W1 = torch.randn(64, 32, generator=g) / 4; W1[12:] = 0; W2 = torch.randn(32, 10, generator=g) * 2  # 12 informative dims
    xtr, ytr = make_data(3000, g, W1, W2); xva, yva = make_data(1000, g, W1, W2)
    keep = int(len(xtr) * args.train_subset); xtr, ytr = xtr[:keep], ytr[:keep]
    print(f"train samples: {len(xtr)}")
    d = 128
    model = nn.Sequential(nn.Linear(64, d), *[ResMLPBlock(d) for _ in range(3)], Affine(d), nn.Linear(d, 10))
    opt = torch.optim.AdamW([{"params": [p for p in model.parameters() if p.ndim == 2], "weight_decay": 0.01},
                             {"params": [p for p in model.parameters() if p.ndim < 2], "weight_decay": 0.0}], lr=1e-3)
    max_iters, warm, bs = 1000, 100, 32
    lr_table = [1e-3 * (i + 1) / warm if i < warm else 1e-5 + (1e-3 - 1e-5) * 0.5 * (1 + math.cos(math.pi * (i - warm) / (max_iters - warm)))
                for i in range(max_iters)]
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(log_dir, exist_ok=True)
    log_path = os.path.join(log_dir, "log.txt"); open(log_path, "w").close()
    run = []
    for it in range(max_iters):
        model.train()
        for pg in opt.param_groups:
            pg["lr"] = lr_table[it]
        idx = torch.randint(0, len(xtr), (bs,), generator=g)
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); run.append(loss.item())
        if (it + 1) % 100 == 0:
            model.eval()
            with torch.no_grad():
                o = model(xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
                ot = model(xtr); ta = (ot.argmax(1) == ytr).float().mean().item()
            stats = {"train_lr": lr_table[it], "train_loss": sum(run) / len(run), "train_acc1": ta, "test_loss": vl,
                     "test_acc1": va * 100, "epoch": (it + 1) // 100 - 1, "n_parameters": sum(p.numel() for p in model.parameters())}
            run = []
            print(f"* it {it + 1} Acc@1 {va * 100:.3f} loss {vl:.3f} | train_loss {stats['train_loss']:.4f}")
            with open(log_path, "a") as f:
                f.write(json.dumps(stats) + "\n")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(stats["train_loss"], 4),
                                         "train_acc": round(ta, 4), "chance_acc": round(float(torch.bincount(yva).max()) / len(yva), 4)}))


if __name__ == "__main__":
    main()
