"""HF accelerate template: tiny transformer encoder classifier on synthetic 4-topic token sequences,
gradient accumulation via accelerator.accumulate, clipping, warm-up + linear decay, TensorBoard tracker."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.968 on 400 held-out sequences (chance 0.25), val_loss 0.173, train_loss 0.153
# native-log: tb
# log-expect:
# log-allow:
import argparse, json, math, os, random, tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from accelerate import Accelerator
from accelerate.utils import set_seed

VOCAB, SEQ = 40, 16


def make_data(n, g, classes=4):
    # topic-like sequences: each class prefers its own 4 "keyword" tokens at ~25% of positions
    y = torch.randint(0, classes, (n,), generator=g)
    x = torch.randint(4 * classes, VOCAB, (n, SEQ), generator=g)
    kw = 4 * y[:, None] + torch.randint(0, 4, (n, SEQ), generator=g)
    use = torch.rand(n, SEQ, generator=g) < 0.25
    x = torch.where(use, kw, x)
    return x, y


class Encoder(nn.Module):
    def __init__(self, d=32, layers=2, heads=4):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, d)
        self.pos = nn.Parameter(torch.randn(SEQ, d) * 0.02)
        layer = nn.TransformerEncoderLayer(d, heads, 2 * d, dropout=0.1, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, layers)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, 4)

    def forward(self, x):
        h = self.enc(self.tok(x) + self.pos)
        return self.head(self.norm(h).mean(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--accum", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); set_seed(0)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="acc_enc_")
    acc = Accelerator(cpu=True, gradient_accumulation_steps=args.accum, log_with="tensorboard", project_dir=log_dir)
    acc.init_trackers("tb", config={"lr": args.lr, "accum": args.accum})
    g = torch.Generator().manual_seed(0)
    xtr, ytr = make_data(800, g); xva, yva = make_data(400, g)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    vdl = DataLoader(TensorDataset(xva, yva), batch_size=200)
    model = Encoder()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    total = args.epochs * len(dl) // args.accum; warm = total // 10
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / (total - warm))))
    model, opt, dl, vdl, sched = acc.prepare(model, opt, dl, vdl, sched)
    step = 0
    for epoch in range(args.epochs):
        model.train(); tl = []
        for xb, yb in dl:
            with acc.accumulate(model):
                loss = F.cross_entropy(model(xb), yb)
                acc.backward(loss)
                if acc.sync_gradients:
                    acc.clip_grad_norm_(model.parameters(), 1.0)
                opt.step(); sched.step(); opt.zero_grad()
            tl.append(loss.item())
            if acc.sync_gradients:
                step += 1
                if step % 5 == 0:
                    acc.log({"train/loss": loss.item(), "lr": sched.get_last_lr()[0]}, step=step)
        model.eval(); vloss, correct, n = 0.0, 0, 0
        with torch.no_grad():
            for xb, yb in vdl:
                out = model(xb)
                out, yb = acc.gather_for_metrics((out, yb))
                vloss += F.cross_entropy(out, yb, reduction="sum").item(); correct += (out.argmax(1) == yb).sum().item(); n += len(yb)
        vl, va, trl = vloss / n, correct / n, float(np.mean(tl))
        acc.log({"train/epoch_loss": trl, "val/loss": vl, "val/acc": va, "epoch": epoch}, step=step)
        acc.print(f"epoch {epoch} step {step} train_loss {trl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    acc.wait_for_everyone()
    acc.end_training()
    if acc.is_main_process:
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
