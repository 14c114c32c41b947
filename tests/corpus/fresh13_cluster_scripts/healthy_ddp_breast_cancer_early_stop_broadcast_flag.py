"""DDP early-stopping pattern: rank 0 decides to stop (val loss not improved for `patience` epochs) and the
flag is sent to all ranks with dist.broadcast so nobody hangs in the next all_reduce; best weights
(model.module) restored at the end. Breast-cancer MLP, Adam, batch 16, JSONL metrics from rank 0."""
# expect:
# allow:
# forbid: *
# evidence: early stop at epoch 33 (patience 6), best weights restored: val_acc 0.959 (majority 0.63), val_loss 0.087, train_loss 0.044
# native-log: es/metrics.jsonl
# log-expect:
# log-allow:
import argparse, copy, json, os, random, socket, tempfile

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max_epochs", type=int, default=100)
    ap.add_argument("--patience", type=int, default=6)
    args = ap.parse_args()
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="es_"), "es")
    os.makedirs(out, exist_ok=True)
    lf = open(os.path.join(out, "metrics.jsonl"), "w") if rank == 0 else None
    X, y = load_breast_cancer(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)
    mu, sd = Xtr.mean(0), Xtr.std(0)
    f = lambda a: torch.tensor(a, dtype=torch.float32)
    tr = TensorDataset(f((Xtr - mu) / sd), f(ytr)); Xv, Yv = f((Xte - mu) / sd), f(yte)
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=16, sampler=sampler)
    model = DDP(nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 1)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    best, best_state, bad = float("inf"), None, 0
    for epoch in range(args.max_epochs):
        sampler.set_epoch(epoch); model.train(); s = torch.zeros(2)
        for xb, yb in dl:
            loss = F.binary_cross_entropy_with_logits(model(xb).squeeze(1), yb)
            opt.zero_grad(); loss.backward(); opt.step()
            s += torch.tensor([loss.item() * len(yb), len(yb)])
        dist.all_reduce(s)
        model.eval()
        with torch.no_grad():
            lv = model(Xv).squeeze(1)
            ev = torch.tensor([F.binary_cross_entropy_with_logits(lv, Yv).item(), ((lv > 0).float() == Yv).float().mean().item()])
        dist.all_reduce(ev); ev /= world
        tl = (s[0] / s[1]).item(); vl, va = ev.tolist()
        stop = torch.zeros(1)
        if rank == 0:
            if vl < best - 1e-4:
                best, bad, best_state = vl, 0, copy.deepcopy(model.module.state_dict())
            else:
                bad += 1
            stop[0] = float(bad >= args.patience)
            lf.write(json.dumps({"epoch": epoch, "train_loss": tl, "val_loss": vl, "val_acc": va, "best_val_loss": best}) + "\n")
            if epoch % 5 == 4 or stop.item():
                print(f"[rank0] epoch {epoch + 1} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f} best {best:.4f} bad_epochs {bad}")
        dist.broadcast(stop, src=0)
        if stop.item():
            if rank == 0:
                print(f"[rank0] early stopping at epoch {epoch + 1}; restoring best weights")
            break
    if rank == 0:
        model.module.load_state_dict(best_state)
    model.eval()
    with torch.no_grad():
        lv = model(Xv).squeeze(1); vl = F.binary_cross_entropy_with_logits(lv, Yv).item(); va = ((lv > 0).float() == Yv).float().mean().item()
    dist.barrier()
    if rank == 0:
        lf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                             "chance_acc": round(float(yte.mean()), 4), "stopped_epoch": epoch + 1}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
