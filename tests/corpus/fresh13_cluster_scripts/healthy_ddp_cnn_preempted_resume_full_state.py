"""SLURM-requeue template: checkpoint every N steps (model.module, optimizer, scheduler, step, epoch, RNG),
a simulated preemption at step 120, then a fresh DDP model / optimizer / scheduler restored from the last
checkpoint, and the JSONL log appended to. Small CNN on synthetic 16x16 pattern images (4 classes, noise),
warm-up + cosine in one LambdaLR, DDP (gloo, world_size 1)."""
# expect:
# allow:
# forbid: *
# evidence: resumed at step 120 with lr 1.71e-3 restored from the scheduler state; final val_acc 0.958 (chance 0.25), val_loss 0.254, train_loss 0.218
# native-log: requeue/metrics.jsonl
# log-expect:
# log-allow:
import argparse, json, math, os, random, socket, tempfile

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

TOTAL_STEPS, WARMUP, SAVE_EVERY, PREEMPT_AT = 240, 20, 40, 120


def make_images(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    img = torch.zeros(n, 1, 16, 16)
    off = torch.randint(2, 14, (n,), generator=g)
    for i in range(n):
        o = off[i].item()
        if y[i] == 0: img[i, 0, o, 2:14] = 1                       # horizontal bar
        elif y[i] == 1: img[i, 0, 2:14, o] = 1                     # vertical bar
        elif y[i] == 2: img[i, 0].fill_diagonal_(1)                # diagonal
        else: img[i, 0, o, 2:14] = 1; img[i, 0, 2:14, o] = 1       # cross
    img += 0.45 * torch.randn(n, 1, 16, 16, generator=g)
    return img, y


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                               nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        return self.fc(self.f(x).flatten(1))


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def build(lr):
    model = DDP(CNN())
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    lam = lambda s: (s + 1) / WARMUP if s < WARMUP else 0.5 * (1 + math.cos(math.pi * (s - WARMUP) / (TOTAL_STEPS - WARMUP)))
    return model, opt, torch.optim.lr_scheduler.LambdaLR(opt, lam)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lr", type=float, default=3e-3)
    args = ap.parse_args()
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="requeue_"), "requeue")
    os.makedirs(out, exist_ok=True)
    ckpt_dir = tempfile.mkdtemp(prefix="ckpt_")
    g = torch.Generator().manual_seed(0)
    Xtr, ytr = make_images(1000, g); Xv, Yv = make_images(400, g)
    tr = TensorDataset(Xtr, ytr)
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=32, sampler=sampler, drop_last=True)
    model, opt, sched = build(args.lr)
    step, epoch = 0, 0
    lf = open(os.path.join(out, "metrics.jsonl"), "w") if rank == 0 else None

    def validate():
        model.eval()
        with torch.no_grad():
            o = model(Xv); r = torch.tensor([F.cross_entropy(o, Yv).item(), (o.argmax(1) == Yv).float().mean().item()])
        dist.all_reduce(r); model.train(); return (r / dist.get_world_size()).tolist()

    preempted = False
    while step < TOTAL_STEPS:
        sampler.set_epoch(epoch)
        for xb, yb in dl:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(); loss.backward(); opt.step(); sched.step(); step += 1
            if rank == 0:
                lf.write(json.dumps({"step": step, "loss": loss.item(), "lr": sched.get_last_lr()[0]}) + "\n")
            if step % SAVE_EVERY == 0:
                vl, va = validate()
                if rank == 0:
                    lf.write(json.dumps({"step": step, "val_loss": vl, "val_acc": va}) + "\n"); lf.flush()
                    torch.save({"model": model.module.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                                "step": step, "epoch": epoch, "rng": torch.get_rng_state()}, os.path.join(ckpt_dir, "last.pt"))
                    print(f"[rank0] step {step}/{TOTAL_STEPS} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f} lr {sched.get_last_lr()[0]:.2e} (saved)")
                dist.barrier()
            if step == PREEMPT_AT + 7 and not preempted:      # job killed 7 steps after the step-120 checkpoint
                preempted = True
                break
            if step >= TOTAL_STEPS:
                break
        else:
            epoch += 1
            continue
        if preempted and step == PREEMPT_AT + 7:
            if rank == 0:
                print(f"[rank0] SIGTERM at step {step}; requeue -> resuming from {ckpt_dir}/last.pt")
                lf.close(); lf = open(os.path.join(out, "metrics.jsonl"), "a")
            ck = torch.load(os.path.join(ckpt_dir, "last.pt"), map_location="cpu")
            model, opt, sched = build(args.lr)
            model.module.load_state_dict(ck["model"]); opt.load_state_dict(ck["opt"]); sched.load_state_dict(ck["sched"])
            step, epoch = ck["step"], ck["epoch"] + 1
            torch.set_rng_state(ck["rng"])
            print(f"[rank0] resumed at step {step}, lr {sched.get_last_lr()[0]:.2e}")
    dist.barrier()
    vl, va = validate()
    if rank == 0:
        lf.write(json.dumps({"step": step, "val_loss": vl, "val_acc": va}) + "\n"); lf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(loss.item(), 4), "chance_acc": 0.25}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
