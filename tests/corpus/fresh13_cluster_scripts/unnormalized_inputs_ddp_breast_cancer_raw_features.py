"""Cluster template with a JSON config: the preprocessing block `"standardize": false` was left over from a
run on pre-normalised shards, so the MLP sees raw breast-cancer features (areas ~1e3, smoothness ~1e-1)."""
# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients, dead_units, saturated_activations, class_imbalance
# forbid: *
# evidence: raw feature means 0.0037..877, stds 0.0023..577; planted stuck predicting the majority class, val_acc 0.626 (= majority rate; hence class_imbalance allowed as a side effect), val_loss 0.672; control (standardized) val_acc 0.953, val_loss 0.125
# control: --control
# native-log: rank0.jsonl
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_high, class_imbalance
import argparse, json, os, random, socket, tempfile

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
    ap.add_argument("--control", action="store_true", help="standardize features (train statistics)")
    args = ap.parse_args()
    cfg = {"seed": 0, "epochs": 30, "batch_size": 32, "lr": 0.01, "momentum": 0.9,
           "preprocess": {"standardize": bool(args.control)}}
    cfg_path = os.path.join(tempfile.mkdtemp(prefix="bc_cfg_"), "run.json")
    json.dump(cfg, open(cfg_path, "w"), indent=2)
    cfg = json.load(open(cfg_path))
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(cfg["seed"])
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="bc_")
    os.makedirs(log_dir, exist_ok=True)
    lf = open(os.path.join(log_dir, "rank0.jsonl"), "w") if rank == 0 else None

    X, y = load_breast_cancer(return_X_y=True)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    if cfg["preprocess"]["standardize"]:
        mu, sd = Xtr.mean(0), Xtr.std(0)
        Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
    if rank == 0:
        print(f"[rank0] feature means range {Xtr.mean(0).min():.3g}..{Xtr.mean(0).max():.3g}, stds {Xtr.std(0).min():.3g}..{Xtr.std(0).max():.3g}")
    t = lambda a: torch.tensor(a, dtype=torch.float32)
    tr = TensorDataset(t(Xtr), t(ytr))
    Xv, Yv = t(Xva), t(yva)
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=cfg["batch_size"], sampler=sampler)
    model = DDP(nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1)))
    opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=cfg["momentum"])
    step = 0
    for epoch in range(cfg["epochs"]):
        sampler.set_epoch(epoch); model.train(); s = torch.zeros(3)
        for xb, yb in dl:
            logit = model(xb).squeeze(1)
            loss = F.binary_cross_entropy_with_logits(logit, yb)
            opt.zero_grad(); loss.backward(); opt.step(); step += 1
            s += torch.tensor([loss.item() * len(yb), ((logit > 0).float() == yb).sum().item(), len(yb)])
        dist.all_reduce(s)
        model.eval()
        with torch.no_grad():
            lv = model(Xv).squeeze(1)
            vl = F.binary_cross_entropy_with_logits(lv, Yv).item(); va = ((lv > 0).float() == Yv).float().mean().item()
        tl, ta = (s[0] / s[2]).item(), (s[1] / s[2]).item()
        if rank == 0:
            lf.write(json.dumps({"epoch": epoch, "step": step, "train_loss": tl, "train_acc": ta, "val_loss": vl, "val_acc": va}) + "\n"); lf.flush()
            if epoch % 5 == 4:
                print(f"[rank0] epoch {epoch + 1}/{cfg['epochs']} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")
    dist.barrier()
    if rank == 0:
        lf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                             "chance_acc": round(float(max(yva.mean(), 1 - yva.mean())), 4)}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
