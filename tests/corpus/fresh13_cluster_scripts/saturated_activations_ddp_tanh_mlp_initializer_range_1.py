"""Cluster template with a HF-style config dict: `initializer_range` was meant to be 0.02-ish relative to unit
fan-in scaling, but the init helper uses it as a raw N(0, std) std and the YAML says 1.0. With 64-256-wide tanh
layers the pre-activations have std ~8-16, so almost every tanh unit sits at +-1. Digits, SGD, DDP world 1."""
# expect: saturated_activations
# allow: vanishing_gradients, poor_initialization, non_convergence, high_bias, overfitting, high_variance, exploding_gradients
# forbid: *
# evidence: probe: planted |tanh|>0.99 fraction 0.70/0.86 at init, 0.77/0.88 at end; val_loss 0.93, val_acc 0.930; control (std 1/sqrt(fan_in)) saturation 0.015/0.009, val_loss 0.117, val_acc 0.967
# control: --control
# native-log: tanh_run.jsonl
# log-expect:
# log-allow: non_convergence, high_bias, overfitting, high_variance
import argparse, json, logging, math, os, random, socket, tempfile

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
import yaml
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

YAML = """
model: {hidden: [256, 256], activation: tanh, initializer_range: 1.0}
train: {lr: 0.05, momentum: 0.9, epochs: 10, batch_size: 32}
"""


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


class MLP(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        dims = [64] + hidden
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.out = nn.Linear(dims[-1], 10)

    def forward(self, x, keep=None):
        for l in self.layers:
            x = torch.tanh(l(x))
            if keep is not None:
                keep.append(x)
        return self.out(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="std = 1/sqrt(fan_in) (LeCun) instead of 1.0")
    args = ap.parse_args()
    cfg = yaml.safe_load(YAML)
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s rank{rank} %(name)s: %(message)s")
    log = logging.getLogger("tanh_mlp")
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="tanh_")
    os.makedirs(log_dir, exist_ok=True)
    lf = open(os.path.join(log_dir, "tanh_run.jsonl"), "w") if rank == 0 else None

    X, y = load_digits(return_X_y=True)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
    mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-6
    Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
    tr = TensorDataset(torch.tensor(Xtr, dtype=torch.float32), torch.tensor(ytr))
    Xv, Yv = torch.tensor(Xva, dtype=torch.float32), torch.tensor(yva)
    net = MLP(cfg["model"]["hidden"])
    for m in net.modules():
        if isinstance(m, nn.Linear):
            std = 1.0 / math.sqrt(m.in_features) if args.control else cfg["model"]["initializer_range"]
            nn.init.normal_(m.weight, 0.0, std); nn.init.zeros_(m.bias)
    model = DDP(net)
    t = cfg["train"]
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=t["batch_size"], sampler=sampler)
    opt = torch.optim.SGD(model.parameters(), lr=t["lr"], momentum=t["momentum"])

    def sat_probe():
        acts = []
        with torch.no_grad():
            net(Xv, keep=acts)
        return [round((a.abs() > 0.99).float().mean().item(), 3) for a in acts]

    if rank == 0:
        log.info("saturated fraction (|tanh|>0.99) per layer at init: %s", sat_probe())
    step = 0
    for epoch in range(t["epochs"]):
        sampler.set_epoch(epoch); model.train(); s = torch.zeros(2)
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
            lf.write(json.dumps({"epoch": epoch, "step": step, "train_loss": tl, "val_loss": vl, "val_acc": va, "lr": t["lr"]}) + "\n"); lf.flush()
            log.info("epoch %d train_loss %.4f val_loss %.4f val_acc %.4f", epoch + 1, tl, vl, va)
    dist.barrier()
    if rank == 0:
        sat = sat_probe()
        log.info("saturated fraction per layer at end: %s", sat)
        lf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                             "chance_acc": 0.1, "saturated_frac_end": sat}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
