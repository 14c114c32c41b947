"""Cluster template whose model factory reads `activation: sigmoid` and `depth: 10` from the experiment
config (an old setting for a 2-layer probe, now reused for a deep trunk). Ten sigmoid layers with default
Xavier init (the factory's textbook choice for sigmoid) and SGD: the per-layer gradient norm shrinks by orders of magnitude toward the input and the
network barely moves off chance. Digits, DDP world_size 1, JSONL by rank 0."""
# expect: vanishing_gradients
# allow: non_convergence, high_bias, learning_rate_too_low, saturated_activations, poor_initialization
# forbid: *
# evidence: probe at step 100: planted weight-grad norm input layer 1.3e-6 vs output layer 0.87 (x7e5 drop), loss stuck at 2.31, val_acc 0.10; control (relu + He init) grads 2-3 in every layer, val_acc 0.92
# control: --control
# native-log: deep_sigmoid.jsonl
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_low
import argparse, json, os, random, socket, tempfile

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

EXPERIMENT = """
model: {depth: 10, width: 64, activation: sigmoid}
optim: {name: sgd, lr: 0.01, momentum: 0.9}
train: {epochs: 8, per_rank_batch: 32}
"""
ACTS = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "gelu": nn.GELU}


def build(m):
    layers, d = [], 64
    for _ in range(m["depth"]):
        layers += [nn.Linear(d, m["width"]), ACTS[m["activation"]]()]
        d = m["width"]
    net = nn.Sequential(*layers, nn.Linear(d, 10))
    for mod in net:
        if isinstance(mod, nn.Linear):     # the factory picks the textbook init for the activation
            if m["activation"] == "relu":
                nn.init.kaiming_normal_(mod.weight, nonlinearity="relu")
            else:
                nn.init.xavier_uniform_(mod.weight, gain=nn.init.calculate_gain(m["activation"]) if m["activation"] == "sigmoid" else 1.0)
            nn.init.zeros_(mod.bias)
    return net


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="activation: relu (the factory then uses He init)")
    args = ap.parse_args()
    cfg = yaml.safe_load(EXPERIMENT)
    if args.control:
        cfg["model"]["activation"] = "relu"
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="deepsig_")
    os.makedirs(log_dir, exist_ok=True)
    lf = open(os.path.join(log_dir, "deep_sigmoid.jsonl"), "w") if rank == 0 else None
    X, y = load_digits(return_X_y=True)
    X = (X - X.mean()) / X.std()
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=9, stratify=y)
    f = lambda a: torch.tensor(a, dtype=torch.float32)
    tr = TensorDataset(f(Xtr), torch.tensor(ytr)); Xv, Yv = f(Xva), torch.tensor(yva)
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=cfg["train"]["per_rank_batch"], sampler=sampler)
    net = build(cfg["model"]); model = DDP(net)
    opt = torch.optim.SGD(model.parameters(), lr=cfg["optim"]["lr"], momentum=cfg["optim"]["momentum"])
    linears = [m for m in net if isinstance(m, nn.Linear)]
    step = 0
    for epoch in range(cfg["train"]["epochs"]):
        sampler.set_epoch(epoch); model.train(); s = torch.zeros(2)
        for xb, yb in dl:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(); loss.backward()
            if step in (0, 100) and rank == 0:
                gn = [l.weight.grad.norm().item() for l in linears]
                print(f"[rank0] step {step} weight-grad norms input->output: " + " ".join(f"{g:.1e}" for g in gn))
                first_last = (gn[0], gn[-1])
            opt.step(); step += 1
            s += torch.tensor([loss.item() * len(yb), len(yb)])
        dist.all_reduce(s)
        model.eval()
        with torch.no_grad():
            o = model(Xv); vl = F.cross_entropy(o, Yv).item(); va = (o.argmax(1) == Yv).float().mean().item()
        tl = (s[0] / s[1]).item()
        if rank == 0:
            lf.write(json.dumps({"epoch": epoch, "step": step, "train_loss": tl, "val_loss": vl, "val_acc": va, "lr": cfg["optim"]["lr"]}) + "\n"); lf.flush()
            print(f"[rank0] epoch {epoch + 1} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    dist.barrier()
    if rank == 0:
        lf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1,
                                             "grad_norm_first_layer_step100": float(f"{first_last[0]:.3g}"),
                                             "grad_norm_last_layer_step100": float(f"{first_last[1]:.3g}")}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
