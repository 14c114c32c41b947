"""ImageNet-recipe cluster template done right: lr = base_lr * global_batch / 256 with the global batch
computed from the real world size (per_rank_batch * world_size * accum = 32 here), 3-epoch linear warm-up,
then step decay, SGD momentum 0.9 + wd 5e-4, BatchNorm CNN on digits, checkpoint every 50 steps keeping the
last two (model.module), dist.all_reduce of val metrics, `[rank0]` SLURM-style stdout, JSONL by rank 0."""
# expect:
# allow:
# forbid: *
# evidence: lr = 0.8*32/256 = 0.1; val_acc 0.993 (chance 0.10), val_loss 0.029, train_loss 0.019
# native-log: imagenet_recipe/log.jsonl
# log-expect:
# log-allow:
import argparse, glob, json, os, random, socket, tempfile, time

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
    ap.add_argument("--base_lr", type=float, default=0.8, help="lr per 256 images")
    ap.add_argument("--per_rank_batch", type=int, default=32)
    ap.add_argument("--accum", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=8)
    args = ap.parse_args()
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    global_batch = args.per_rank_batch * world * args.accum
    lr = args.base_lr * global_batch / 256
    out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="recipe_"), "imagenet_recipe")
    os.makedirs(out, exist_ok=True)
    ckdir = tempfile.mkdtemp(prefix="ckpts_")
    lf = open(os.path.join(out, "log.jsonl"), "w") if rank == 0 else None
    if rank == 0:
        print(f"[rank0] world_size={world} global_batch={global_batch} lr={args.base_lr}*{global_batch}/256={lr:.4f}")
    X, y = load_digits(return_X_y=True)
    Xtr, Xva, ytr, yva = train_test_split(X / 16.0, y, test_size=0.3, random_state=7, stratify=y)
    f = lambda a: torch.tensor(a, dtype=torch.float32).view(-1, 1, 8, 8)
    tr = TensorDataset(f(Xtr), torch.tensor(ytr)); Xv, Yv = f(Xva), torch.tensor(yva)
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=args.per_rank_batch, sampler=sampler, drop_last=True)
    net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                        nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(32, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))
    model = DDP(nn.SyncBatchNorm.convert_sync_batchnorm(net) if world > 1 else net)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=5e-4)
    warm_steps = 3 * len(dl)
    def factor(s):
        if s < warm_steps:
            return (s + 1) / warm_steps
        ep = s // len(dl)
        return 0.1 ** ((ep >= 5) + (ep >= 7))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    step, t0 = 0, time.time()
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch); model.train(); s = torch.zeros(2)
        for xb, yb in dl:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(); loss.backward(); opt.step(); sched.step(); step += 1
            s += torch.tensor([loss.item() * len(yb), len(yb)])
            if rank == 0 and step % 10 == 0:
                lf.write(json.dumps({"step": step, "loss": loss.item(), "lr": sched.get_last_lr()[0]}) + "\n")
            if rank == 0 and step % 50 == 0:
                torch.save({"model": model.module.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "step": step},
                           os.path.join(ckdir, f"step_{step:06d}.pt"))
                for old in sorted(glob.glob(os.path.join(ckdir, "step_*.pt")))[:-2]:
                    os.remove(old)
                print(f"[rank0] step {step}/{args.epochs * len(dl)} loss {loss.item():.4f} lr {sched.get_last_lr()[0]:.2e} | {1000 * (time.time() - t0) / step:.1f} ms/it")
        dist.all_reduce(s)
        model.eval()
        with torch.no_grad():
            o = model(Xv); ev = torch.tensor([F.cross_entropy(o, Yv).item(), (o.argmax(1) == Yv).float().mean().item()])
        dist.all_reduce(ev); ev /= world
        tl = (s[0] / s[1]).item(); vl, va = ev.tolist()
        if rank == 0:
            lf.write(json.dumps({"step": step, "epoch": epoch, "train_loss": tl, "val_loss": vl, "val_acc": va}) + "\n"); lf.flush()
            print(f"[rank0] epoch {epoch + 1}/{args.epochs} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    dist.barrier()
    if rank == 0:
        lf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
