"""accelerate template: per-device batch 16 x gradient_accumulation_steps 4, accelerator.accumulate,
clip_grad_norm_ on sync steps, label smoothing 0.1 (train loss floors around 0.6, not 0, and sits above val loss), OneCycleLR,
gather_for_metrics for eval, JSON lines written only on the main process, accelerator.print progress."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.980 (chance 0.10), val CE 0.238; label-smoothed train loss with dropout stays ~0.67, above val loss, by design
# native-log: acc_cnn/metrics.jsonl
# log-expect:
# log-allow:
import argparse, json, logging, os, random, tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from accelerate import Accelerator
from accelerate.logging import get_logger
from accelerate.utils import set_seed
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--accum", type=int, default=4)
    ap.add_argument("--lr", type=float, default=4e-3)
    args = ap.parse_args()
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); set_seed(0)
    logging.basicConfig(format="%(asctime)s - %(levelname)s - %(name)s - %(message)s", level=logging.INFO)
    acc = Accelerator(cpu=True, gradient_accumulation_steps=args.accum)
    logger = get_logger(__name__)
    out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="acc_cnn_"), "acc_cnn")
    os.makedirs(out, exist_ok=True)
    lf = open(os.path.join(out, "metrics.jsonl"), "w") if acc.is_main_process else None
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=6, stratify=y)
    f = lambda a: torch.tensor(a, dtype=torch.float32).view(-1, 1, 8, 8)
    dl = DataLoader(TensorDataset(f(Xtr), torch.tensor(ytr)), batch_size=16, shuffle=True)
    vdl = DataLoader(TensorDataset(f(Xva), torch.tensor(yva)), batch_size=128)
    model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.2), nn.Linear(32 * 16, 10))
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    steps = args.epochs * ((len(dl) + args.accum - 1) // args.accum)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps * acc.num_processes + 5)
    model, opt, dl, vdl, sched = acc.prepare(model, opt, dl, vdl, sched)
    logger.info(f"num_processes={acc.num_processes} optimizer steps={steps}", main_process_only=True)
    step = 0
    for epoch in range(args.epochs):
        model.train(); tot, n = 0.0, 0
        for xb, yb in dl:
            with acc.accumulate(model):
                loss = F.cross_entropy(model(xb), yb, label_smoothing=0.1)
                acc.backward(loss)
                if acc.sync_gradients:
                    acc.clip_grad_norm_(model.parameters(), 2.0)
                opt.step(); sched.step(); opt.zero_grad()
            tot += loss.item() * len(yb); n += len(yb)
            if acc.sync_gradients:
                step += 1
                if acc.is_main_process and step % 5 == 0:
                    lf.write(json.dumps({"step": step, "train_loss": loss.item(), "lr": sched.get_last_lr()[0]}) + "\n")
        model.eval(); vl, c, m = 0.0, 0, 0
        with torch.no_grad():
            for xb, yb in vdl:
                o, t = acc.gather_for_metrics((model(xb), yb))
                vl += F.cross_entropy(o, t, reduction="sum").item(); c += (o.argmax(1) == t).sum().item(); m += len(t)
        vl, va, tl = vl / m, c / m, tot / n
        if acc.is_main_process:
            lf.write(json.dumps({"step": step, "epoch": epoch, "train_loss_epoch": tl, "val_loss": vl, "val_acc": va}) + "\n"); lf.flush()
        acc.print(f"epoch {epoch + 1}/{args.epochs} step {step} train_loss(ls=0.1) {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    acc.wait_for_everyone()
    if acc.is_main_process:
        lf.close()
        acc.save(acc.unwrap_model(model).state_dict(), os.path.join(tempfile.mkdtemp(), "model.pt"))
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss_label_smoothed": round(tl, 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
