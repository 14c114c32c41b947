"""Cluster template: gradient accumulation added to fit a 'global batch 128' on one process (16 x 8 micro-
batches), with model.no_sync() on the non-final micro-steps, but the loss is never divided by
accum_steps, so the summed gradient is 8x the mean gradient and plain SGD+momentum (lr tuned for the
mean) takes 8x steps: effective lr 0.8. Digits MLP, DDP world_size 1, JSONL by rank 0."""
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units, high_bias
# forbid: *
# evidence: planted (loss not /8): loss 2.29 -> 1.37 then climbs to 6 by step 9 and 9e13 in epoch 4, ends at chance (val_acc 0.098, val_loss 2.31); control (loss/8) val_acc 0.974, val_loss 0.091
# control: --control
# native-log: accum/metrics.jsonl
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, high_bias, exploding_gradients
import argparse, contextlib, json, os, random, socket, tempfile

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="divide the micro-batch loss by accum_steps")
    ap.add_argument("--accum_steps", type=int, default=8)
    ap.add_argument("--epochs", type=int, default=12)
    args = ap.parse_args()
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="accum_"), "accum")
    os.makedirs(out, exist_ok=True)
    lf = open(os.path.join(out, "metrics.jsonl"), "w") if rank == 0 else None
    X, y = load_digits(return_X_y=True)
    X = (X - X.mean()) / X.std()
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=8, stratify=y)
    f = lambda a: torch.tensor(a, dtype=torch.float32)
    tr = TensorDataset(f(Xtr), torch.tensor(ytr)); Xv, Yv = f(Xva), torch.tensor(yva)
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=16, sampler=sampler, drop_last=True)
    model = DDP(nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    step, micro = 0, 0
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch); model.train(); s = torch.zeros(2)
        for xb, yb in dl:
            micro += 1
            sync = micro % args.accum_steps == 0
            with (contextlib.nullcontext() if sync else model.no_sync()):
                loss = F.cross_entropy(model(xb), yb)
                (loss / args.accum_steps if args.control else loss).backward()
            s += torch.tensor([loss.item() * len(yb), len(yb)])
            if sync:
                opt.step(); opt.zero_grad(); step += 1
                if rank == 0:
                    lf.write(json.dumps({"step": step, "loss": loss.item(), "lr": 0.1}) + "\n")
        dist.all_reduce(s)
        model.eval()
        with torch.no_grad():
            o = model(Xv); vl = F.cross_entropy(o, Yv).item(); va = (o.argmax(1) == Yv).float().mean().item()
        tl = (s[0] / s[1]).item()
        if rank == 0:
            lf.write(json.dumps({"step": step, "epoch": epoch, "train_loss": tl, "val_loss": vl, "val_acc": va}) + "\n"); lf.flush()
            print(f"[rank0] epoch {epoch + 1}/{args.epochs} opt_step {step} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    dist.barrier()
    if rank == 0:
        lf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
