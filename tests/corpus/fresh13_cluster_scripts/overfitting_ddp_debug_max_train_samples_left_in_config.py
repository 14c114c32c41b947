"""Cluster template: the JSON run config still carries the debug override `"max_train_samples": 60` (used to
smoke-test the SLURM job); the sampler also never calls set_epoch, so the same 60 digits come in the same
order every epoch. A wide MLP memorises them: train loss -> 0 while val loss climbs. DDP world_size 1."""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (60 train samples): train_loss 0.0004, val_loss min 0.575 at epoch 8 then rising steadily to 0.667 at epoch 60, val_acc 0.83; control (1257 samples, ~same steps) val_loss 0.116, val_acc 0.967
# control: --control
# native-log: debug_run/metrics.jsonl
# log-expect: overfitting
# log-allow: high_variance
import argparse, json, os, random, socket, tempfile, time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, Subset, TensorDataset
from torch.utils.data.distributed import DistributedSampler
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

RUN_CONFIG = '{"seed": 0, "epochs": 60, "batch_size": 16, "lr": 1e-3, "hidden": 512, "max_train_samples": 60}'


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="drop the max_train_samples debug override")
    args = ap.parse_args()
    path = os.path.join(tempfile.mkdtemp(prefix="runcfg_"), "run.json")
    open(path, "w").write(RUN_CONFIG)
    cfg = json.load(open(path))
    if args.control:
        cfg["max_train_samples"] = None
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(cfg["seed"])
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="dbg_"), "debug_run")
    os.makedirs(out, exist_ok=True)
    lf = open(os.path.join(out, "metrics.jsonl"), "w") if rank == 0 else None
    X, y = load_digits(return_X_y=True)
    X = (X - X.mean()) / X.std()
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=4, stratify=y)
    f = lambda a: torch.tensor(a, dtype=torch.float32)
    tr = TensorDataset(f(Xtr), torch.tensor(ytr))
    if cfg["max_train_samples"]:
        tr = Subset(tr, range(cfg["max_train_samples"]))
    Xv, Yv = f(Xva), torch.tensor(yva)
    sampler = DistributedSampler(tr, shuffle=True, seed=cfg["seed"])      # NB: set_epoch never called
    dl = DataLoader(tr, batch_size=cfg["batch_size"], sampler=sampler)
    epochs = cfg["epochs"] if cfg["max_train_samples"] else 3             # about the same number of optimizer steps (~240)
    h = cfg["hidden"]
    model = DDP(nn.Sequential(nn.Linear(64, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, 10)))
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    if rank == 0:
        print(f"[rank0] train samples {len(tr)}, val samples {len(Xv)}, epochs {epochs}, steps/epoch {len(dl)}")
    step = 0
    for epoch in range(epochs):
        model.train(); s = torch.zeros(2)
        for xb, yb in dl:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(); loss.backward(); opt.step(); step += 1
            s += torch.tensor([loss.item() * len(yb), len(yb)])
        dist.all_reduce(s)
        model.eval()
        with torch.no_grad():
            o = model(Xv); vl = F.cross_entropy(o, Yv).item(); va = (o.argmax(1) == Yv).float().mean().item()
        tl = (s[0] / s[1]).item()
        if rank == 0:
            lf.write(json.dumps({"epoch": epoch, "step": step, "train_loss": tl, "val_loss": vl, "val_acc": va}) + "\n"); lf.flush()
            if epoch % max(1, epochs // 6) == 0 or epoch == epochs - 1:
                print(f"[rank0] epoch {epoch + 1}/{epochs} step {step} train_loss {tl:.5f} val_loss {vl:.4f} val_acc {va:.4f}")
    dist.barrier()
    if rank == 0:
        lf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 5),
                                             "n_train": len(tr), "chance_acc": 0.1}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
