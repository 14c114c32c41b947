"""Cluster template: YAML config written/read from a run dir, DDP (gloo, world_size 1), `logging` with
timestamps and rank prefix, dist.all_reduce of metrics, JSON-lines metrics from rank 0. Diabetes regression
(small noisy target: R^2 ~0.5 is the ceiling; a ridge baseline is computed for reference)."""
# expect:
# allow:
# forbid: *
# evidence: val_mse 3214 vs target variance 4964 (R^2 0.35) and ridge baseline 3187 on the same split: at the ceiling of this noisy dataset; train_mse 2780
# native-log: diabetes_run/metrics.jsonl
# log-expect:
# log-allow:
import argparse, json, logging, os, random, socket, tempfile

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import yaml
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

DEFAULT_CFG = """
run_name: diabetes_run
seed: 0
data:
  val_fraction: 0.25
  batch_size: 32
model:
  hidden: 32
  dropout: 0.1
optim:
  name: adamw
  lr: 2.0e-3
  weight_decay: 1.0e-2
  epochs: 25
  clip_grad_norm: 1.0
"""


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default=None)
    args = ap.parse_args()
    if args.config is None:
        args.config = os.path.join(tempfile.mkdtemp(prefix="cfg_"), "config.yaml")
        with open(args.config, "w") as f:
            f.write(DEFAULT_CFG)
    with open(args.config) as f:
        cfg = yaml.safe_load(f)
    torch.set_num_threads(1)
    random.seed(cfg["seed"]); np.random.seed(cfg["seed"]); torch.manual_seed(cfg["seed"])
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s [rank{rank}] %(levelname)s %(message)s")
    log = logging.getLogger("train")
    out_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="diab_"), cfg["run_name"])
    os.makedirs(out_dir, exist_ok=True)
    mf = open(os.path.join(out_dir, "metrics.jsonl"), "w") if rank == 0 else None
    if rank == 0:
        with open(os.path.join(out_dir, "resolved_config.yaml"), "w") as f:
            yaml.safe_dump(cfg, f)

    X, y = load_diabetes(return_X_y=True)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=cfg["data"]["val_fraction"], random_state=cfg["seed"])
    sx = StandardScaler().fit(Xtr); ym, ys = ytr.mean(), ytr.std()
    ridge = Ridge(alpha=1.0).fit(sx.transform(Xtr), ytr)
    ridge_mse = float(np.mean((ridge.predict(sx.transform(Xva)) - yva) ** 2))
    t = lambda a: torch.tensor(a, dtype=torch.float32)
    tr = TensorDataset(t(sx.transform(Xtr)), t((ytr - ym) / ys))
    Xv, Yv = t(sx.transform(Xva)), t(yva)
    sampler = DistributedSampler(tr, shuffle=True, seed=cfg["seed"])
    dl = DataLoader(tr, batch_size=cfg["data"]["batch_size"], sampler=sampler)
    h = cfg["model"]["hidden"]
    model = DDP(nn.Sequential(nn.Linear(10, h), nn.SiLU(), nn.Dropout(cfg["model"]["dropout"]), nn.Linear(h, h), nn.SiLU(), nn.Linear(h, 1)))
    o = cfg["optim"]
    opt = torch.optim.AdamW(model.parameters(), lr=o["lr"], weight_decay=o["weight_decay"])
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=o["epochs"] * len(dl))
    step = 0
    for epoch in range(o["epochs"]):
        sampler.set_epoch(epoch); model.train(); acc = torch.zeros(2)
        for xb, yb in dl:
            loss = nn.functional.mse_loss(model(xb).squeeze(1), yb)
            opt.zero_grad(); loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), o["clip_grad_norm"])
            opt.step(); sched.step(); step += 1
            acc += torch.tensor([loss.item() * len(yb), len(yb)])
        dist.all_reduce(acc, op=dist.ReduceOp.SUM)
        model.eval()
        with torch.no_grad():
            pred = model(Xv).squeeze(1) * ys + ym
            val_mse = torch.mean((pred - Yv) ** 2)
        dist.all_reduce(val_mse); val_mse = val_mse.item() / world
        train_mse = (acc[0] / acc[1]).item() * ys ** 2
        if rank == 0:
            mf.write(json.dumps({"epoch": epoch, "step": step, "train_mse": round(train_mse, 2), "val_mse": round(val_mse, 2),
                                 "lr": sched.get_last_lr()[0]}) + "\n"); mf.flush()
            if epoch % 5 == 4:
                log.info("epoch %d/%d train_mse %.1f val_mse %.1f lr %.2e", epoch + 1, o["epochs"], train_mse, val_mse, sched.get_last_lr()[0])
    dist.barrier()
    if rank == 0:
        torch.save({"model": model.module.state_dict(), "cfg": cfg}, os.path.join(out_dir, "last.pt"))
        log.info("ridge baseline val_mse %.1f, target variance %.1f", ridge_mse, float(np.var(yva)))
        mf.close()
        print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 1), "train_mse": round(train_mse, 1),
                                             "target_var": round(float(np.var(yva)), 1), "ridge_val_mse": round(ridge_mse, 1)}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
