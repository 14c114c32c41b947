"""Cluster template for a naturally skewed 5-class problem (support-ticket routing: 60/20/10/6/4 %), handled
properly: class-weighted cross-entropy (inverse sqrt frequency, computed on rank 0 and broadcast with
dist.broadcast), macro recall tracked next to accuracy, all metrics all-reduced, JSONL by rank 0."""
# expect:
# allow:
# forbid: *
# evidence: classes 61/19/11/6/4 %; val_acc 0.963 (majority 0.58), macro recall 0.966, smallest class recall 0.94; predicted class fractions match the priors
# native-log: tickets/metrics.jsonl
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

PRIORS = [0.60, 0.20, 0.10, 0.06, 0.04]


def make(n, rng, centers):
    y = rng.choice(5, size=n, p=PRIORS)
    X = centers[y] + rng.normal(size=(n, 16))
    return X.astype(np.float32), y


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=6)
    args = ap.parse_args()
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="tickets_"), "tickets")
    os.makedirs(out, exist_ok=True)
    lf = open(os.path.join(out, "metrics.jsonl"), "w") if rank == 0 else None
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(5, 16)) * 0.9
    Xtr, ytr = make(3000, rng, centers); Xva, yva = make(1500, rng, centers)
    weights = torch.zeros(5)
    if rank == 0:
        freq = np.bincount(ytr, minlength=5) / len(ytr)
        weights = torch.tensor(1 / np.sqrt(freq), dtype=torch.float32); weights /= weights.mean()
        print(f"[rank0] class frequencies {np.round(freq, 3).tolist()} -> CE weights {[round(w, 2) for w in weights.tolist()]}")
    dist.broadcast(weights, src=0)
    tr = TensorDataset(torch.from_numpy(Xtr), torch.from_numpy(ytr))
    Xv, Yv = torch.from_numpy(Xva), torch.from_numpy(yva)
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=64, sampler=sampler)
    model = DDP(nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 5)))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch); model.train(); s = torch.zeros(2)
        for xb, yb in dl:
            loss = F.cross_entropy(model(xb), yb, weight=weights)
            opt.zero_grad(); loss.backward(); opt.step()
            s += torch.tensor([loss.item() * len(yb), len(yb)])
        sched.step(); dist.all_reduce(s)
        model.eval()
        with torch.no_grad():
            o = model(Xv); pred = o.argmax(1)
            vl = F.cross_entropy(o, Yv, weight=weights).item(); va = (pred == Yv).float().mean().item()
            rec = [(pred[Yv == k] == k).float().mean().item() for k in range(5)]
            pred_frac = torch.bincount(pred, minlength=5).float() / len(pred)
        tl = (s[0] / s[1]).item(); macro = float(np.mean(rec))
        if rank == 0:
            lf.write(json.dumps({"epoch": epoch, "train_loss": tl, "val_loss": vl, "val_acc": va, "val_macro_recall": macro,
                                 "lr": sched.get_last_lr()[0]}) + "\n"); lf.flush()
            if epoch % 2 == 1:
                print(f"[rank0] epoch {epoch + 1}/{args.epochs} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f} macro_recall {macro:.4f} recalls {[round(r, 2) for r in rec]}")
    dist.barrier()
    if rank == 0:
        lf.close()
        print(f"[rank0] predicted class fractions {[round(v, 3) for v in pred_frac.tolist()]}")
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "val_macro_recall": round(macro, 4),
                                             "val_min_class_recall": round(min(rec), 4), "train_loss": round(tl, 4),
                                             "chance_acc": round(float(np.bincount(yva).max() / len(yva)), 4)}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
