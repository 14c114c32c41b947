"""Cluster template: predicting rare node failures (3% positives) from 12 telemetry features.
DDP + DistributedSampler, plain BCE with no pos_weight / resampling: the model predicts 'healthy' for all."""
# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: 2.7% positives; planted (plain BCE) val_acc 0.974 = majority rate 0.973, failure recall 0.31, balanced acc 0.65, predicts positive for 1.6% of nodes; control (pos_weight=n_neg/n_pos) failure recall 0.81, balanced acc 0.86
# control: --control
# native-log: failures/metrics.jsonl
# log-expect:
# log-allow: class_imbalance, high_bias, non_convergence
import argparse, json, os, random, socket, tempfile, time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def make(n, rng):
    y = (rng.random(n) < 0.03).astype(np.float32)
    X = rng.normal(size=(n, 12)).astype(np.float32)
    X[y == 1, :4] += 1.3          # failing nodes run hot on 4 sensors
    return X, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="BCE with pos_weight = n_neg / n_pos")
    ap.add_argument("--epochs", type=int, default=8)
    args = ap.parse_args()
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="fail_"), "failures")
    os.makedirs(out, exist_ok=True)
    lf = open(os.path.join(out, "metrics.jsonl"), "w") if rank == 0 else None
    rng = np.random.default_rng(0)
    Xtr, ytr = make(4000, rng); Xva, yva = make(2000, rng)
    tr = TensorDataset(torch.from_numpy(Xtr), torch.from_numpy(ytr))
    Xv, Yv = torch.from_numpy(Xva), torch.from_numpy(yva)
    pos_weight = torch.tensor((ytr == 0).sum() / (ytr == 1).sum()) if args.control else None
    if rank == 0:
        print(f"[rank0] train positives {int(ytr.sum())}/{len(ytr)} ({ytr.mean():.3f}); pos_weight={pos_weight}")
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=64, sampler=sampler)
    model = DDP(nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 1)))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    step = 0
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch); model.train(); s = torch.zeros(2)
        for xb, yb in dl:
            loss = F.binary_cross_entropy_with_logits(model(xb).squeeze(1), yb, pos_weight=pos_weight)
            opt.zero_grad(); loss.backward(); opt.step(); step += 1
            s += torch.tensor([loss.item() * len(yb), len(yb)])
        dist.all_reduce(s)
        model.eval()
        with torch.no_grad():
            lv = model(Xv).squeeze(1)
            vl = F.binary_cross_entropy_with_logits(lv, Yv, pos_weight=pos_weight).item()
            pred = (lv > 0).float()
            acc = (pred == Yv).float().mean().item()
            rec_pos = (pred[Yv == 1] == 1).float().mean().item(); rec_neg = (pred[Yv == 0] == 0).float().mean().item()
            bal = 0.5 * (rec_pos + rec_neg); frac_pos_pred = pred.mean().item()
        tl = (s[0] / s[1]).item()
        if rank == 0:
            lf.write(json.dumps({"epoch": epoch, "step": step, "train_loss": tl, "val_loss": vl, "val_acc": acc,
                                 "val_balanced_acc": bal, "val_recall_failure": rec_pos}) + "\n"); lf.flush()
            print(f"[rank0] epoch {epoch + 1}/{args.epochs} train_loss {tl:.4f} val_loss {vl:.4f} acc {acc:.3f} bal_acc {bal:.3f} recall_fail {rec_pos:.3f} pred_pos_frac {frac_pos_pred:.3f}")
    dist.barrier()
    if rank == 0:
        lf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "val_balanced_acc": round(bal, 4),
                                             "val_recall_minority": round(rec_pos, 4), "train_loss": round(tl, 4),
                                             "chance_acc": round(float(1 - yva.mean()), 4), "minority_frac": round(float(yva.mean()), 4)}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
