"""DDP template trained long past convergence: digits MLP, AdamW with decoupled weight decay, cosine to 0,
80 epochs. Train loss goes to ~0.02 (train acc 0.999) while val loss/accuracy stay flat near their best; rank 0 keeps the best
checkpoint (model.module) and writes epoch JSON lines; metrics all-reduced over ranks."""
# expect:
# allow:
# forbid: *
# evidence: 80 epochs: train_loss 0.016 (train acc 0.999); val_loss 0.073 = its best, flat over the last 30 epochs, val_acc 0.983 (chance 0.10)
# native-log: longfit.jsonl
# log-expect:
# log-allow:
import argparse, json, os, random, socket, tempfile

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
    ap.add_argument("--epochs", type=int, default=80)
    args = ap.parse_args()
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="longfit_")
    os.makedirs(log_dir, exist_ok=True)
    lf = open(os.path.join(log_dir, "longfit.jsonl"), "w") if rank == 0 else None
    ck = os.path.join(tempfile.mkdtemp(prefix="best_"), "best.pt")
    X, y = load_digits(return_X_y=True)
    X = (X - X.mean()) / X.std()
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=5, stratify=y)
    f = lambda a: torch.tensor(a, dtype=torch.float32)
    tr = TensorDataset(f(Xtr), torch.tensor(ytr)); Xv, Yv = f(Xva), torch.tensor(yva)
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=128, sampler=sampler)
    model = DDP(nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10)))
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, args.epochs * len(dl))
    best = float("inf")
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch); model.train(); s = torch.zeros(3)
        for xb, yb in dl:
            out = model(xb); loss = F.cross_entropy(out, yb)
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
            s += torch.tensor([loss.item() * len(yb), (out.argmax(1) == yb).sum().item(), len(yb)])
        dist.all_reduce(s)
        model.eval()
        with torch.no_grad():
            o = model(Xv); ev = torch.tensor([F.cross_entropy(o, Yv).item(), (o.argmax(1) == Yv).float().mean().item()])
        dist.all_reduce(ev); ev /= world
        tl, ta = (s[0] / s[2]).item(), (s[1] / s[2]).item(); vl, va = ev.tolist()
        if rank == 0:
            if vl < best:
                best = vl; torch.save(model.module.state_dict(), ck)
            lf.write(json.dumps({"epoch": epoch, "train_loss": tl, "train_acc": ta, "val_loss": vl, "val_acc": va,
                                 "lr": sched.get_last_lr()[0]}) + "\n")
            if epoch % 10 == 9:
                print(f"[rank0] epoch {epoch + 1}/{args.epochs} train_loss {tl:.5f} train_acc {ta:.4f} val_loss {vl:.4f} val_acc {va:.4f} best_val_loss {best:.4f}")
    dist.barrier()
    if rank == 0:
        lf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 5),
                                             "best_val_loss": round(best, 4), "chance_acc": 0.1}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
