"""DDP template (torchrun-style) run as a single process: digits MLP, warm-up + cosine, JSONL metrics by rank 0."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.974 on 540 held-out digits (chance 0.10), val_loss 0.092, train_loss 0.040: val_acc 0.97 on 540 held-out digits (chance 0.10), val_loss 0.10, train_loss 0.03
# native-log: metrics.jsonl
# log-expect:
# log-allow:
import argparse, json, math, os, random, socket, tempfile, time
from dataclasses import dataclass, asdict

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


@dataclass
class Config:
    epochs: int = 12
    batch_size: int = 64          # per rank
    lr: float = 3e-3
    weight_decay: float = 1e-4
    warmup_steps: int = 30
    hidden: int = 128
    seed: int = 0
    log_every: int = 10


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def setup():
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0")
    os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo", rank=int(os.environ["RANK"]), world_size=int(os.environ["WORLD_SIZE"]))
    return dist.get_rank(), dist.get_world_size()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=Config.epochs)
    ap.add_argument("--lr", type=float, default=Config.lr)
    args = ap.parse_args()
    cfg = Config(epochs=args.epochs, lr=args.lr)
    torch.set_num_threads(1)
    random.seed(cfg.seed); np.random.seed(cfg.seed); torch.manual_seed(cfg.seed)
    rank, world = setup()
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="ddp_digits_")
    os.makedirs(log_dir, exist_ok=True)
    logf = open(os.path.join(log_dir, "metrics.jsonl"), "w") if rank == 0 else None

    X, y = load_digits(return_X_y=True)
    X = (X / 16.0 - 0.5) / 0.5
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    tr = TensorDataset(torch.tensor(Xtr, dtype=torch.float32), torch.tensor(ytr))
    va = TensorDataset(torch.tensor(Xva, dtype=torch.float32), torch.tensor(yva))
    sampler = DistributedSampler(tr, num_replicas=world, rank=rank, shuffle=True, seed=cfg.seed)
    dl = DataLoader(tr, batch_size=cfg.batch_size, sampler=sampler)
    vdl = DataLoader(va, batch_size=256, sampler=DistributedSampler(va, num_replicas=world, rank=rank, shuffle=False))

    model = nn.Sequential(nn.Linear(64, cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, cfg.hidden), nn.ReLU(),
                          nn.Linear(cfg.hidden, 10))
    model = DDP(model)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    total = cfg.epochs * len(dl)
    def lr_lambda(step):
        if step < cfg.warmup_steps:
            return (step + 1) / cfg.warmup_steps
        p = (step - cfg.warmup_steps) / max(1, total - cfg.warmup_steps)
        return 0.5 * (1 + math.cos(math.pi * p))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)

    step = 0
    for epoch in range(cfg.epochs):
        sampler.set_epoch(epoch)
        model.train()
        run = torch.zeros(2)
        for xb, yb in dl:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step(); sched.step(); step += 1
            run += torch.tensor([loss.item() * len(yb), len(yb)])
            if rank == 0 and step % cfg.log_every == 0:
                logf.write(json.dumps({"step": step, "epoch": epoch, "train/loss": round(loss.item(), 5),
                                       "lr": sched.get_last_lr()[0]}) + "\n")
        dist.all_reduce(run)
        model.eval()
        ev = torch.zeros(3)
        with torch.no_grad():
            for xb, yb in vdl:
                out = model(xb)
                ev += torch.tensor([F.cross_entropy(out, yb, reduction="sum").item(),
                                    (out.argmax(1) == yb).sum().item(), len(yb)])
        dist.all_reduce(ev)
        train_loss = (run[0] / run[1]).item(); val_loss = (ev[0] / ev[2]).item(); val_acc = (ev[1] / ev[2]).item()
        if rank == 0:
            logf.write(json.dumps({"step": step, "epoch": epoch, "train_loss": round(train_loss, 5),
                                   "val_loss": round(val_loss, 5), "val_acc": round(val_acc, 4)}) + "\n")
            logf.flush()
            print(f"[rank{rank}] epoch {epoch+1}/{cfg.epochs} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.4f}")
    dist.barrier()
    if rank == 0:
        torch.save(model.module.state_dict(), os.path.join(tempfile.mkdtemp(), "final.pt"))
        logf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                             "train_loss": round(train_loss, 4), "chance_acc": 0.1}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
