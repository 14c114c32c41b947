"""DDP template with heavy regularisation: wine (13 features, 3 classes, 124 train rows) MLP with dropout 0.5
on input and hidden layers. Train loss (measured in train mode, with dropout) stays well above val loss all
run; that is dropout, not a bug. SGD + Nesterov, MultiStepLR, metrics all-reduced, JSONL by rank 0."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 1.00 (majority 0.40), val_loss 0.018; train loss measured with dropout 0.06, above val all run by design
# native-log: wine_dropout.jsonl
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
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--dropout", type=float, default=0.5)
    args = ap.parse_args()
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="wine_")
    os.makedirs(log_dir, exist_ok=True)
    lf = open(os.path.join(log_dir, "wine_dropout.jsonl"), "w") if rank == 0 else None
    X, y = load_wine(return_X_y=True)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    sc = StandardScaler().fit(Xtr)
    f = lambda a: torch.tensor(a, dtype=torch.float32)
    tr = TensorDataset(f(sc.transform(Xtr)), torch.tensor(ytr)); Xv, Yv = f(sc.transform(Xva)), torch.tensor(yva)
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=16, sampler=sampler)
    p = args.dropout
    model = DDP(nn.Sequential(nn.Dropout(p * 0.4), nn.Linear(13, 128), nn.ReLU(), nn.Dropout(p),
                              nn.Linear(128, 128), nn.ReLU(), nn.Dropout(p), nn.Linear(128, 3)))
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[20, 30], gamma=0.3)
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch); model.train(); s = torch.zeros(2)
        for xb, yb in dl:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(); loss.backward(); opt.step()
            s += torch.tensor([loss.item() * len(yb), len(yb)])
        sched.step()
        dist.all_reduce(s)
        model.eval()
        with torch.no_grad():
            o = model(Xv); ev = torch.tensor([F.cross_entropy(o, Yv).item(), (o.argmax(1) == Yv).float().mean().item()])
        dist.all_reduce(ev); ev /= world
        tl = (s[0] / s[1]).item(); vl, va = ev.tolist()
        if rank == 0:
            lf.write(json.dumps({"epoch": epoch, "train_loss": tl, "val_loss": vl, "val_acc": va, "lr": sched.get_last_lr()[0]}) + "\n")
            if epoch % 10 == 9:
                print(f"[rank0] epoch {epoch + 1}/{args.epochs} train_loss(dropout on) {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f} lr {sched.get_last_lr()[0]:.1e}")
    dist.barrier()
    if rank == 0:
        lf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.4}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
