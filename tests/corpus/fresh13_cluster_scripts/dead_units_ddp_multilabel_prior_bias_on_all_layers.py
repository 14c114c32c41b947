"""Cluster template (detection-style 'prior probability' bias init): the config sets prior_prob=0.01 and
init_weights() applies bias = -log((1-p)/p) = -4.6 to EVERY nn.Linear, not just the classifier. The ReLU
hidden layers start (and stay) dead. Synthetic multi-label tagging, DDP world_size 1, SLURM-style stdout."""
# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients, poor_initialization, class_imbalance
# forbid: *
# evidence: probe: planted never-active ReLU fraction on val fc1 1.00 / fc2 1.00, val micro-F1 0.00, val BCE 0.444 (train 0.469); control (prior bias on head only) dead 0.00 / 0.125, micro-F1 0.78, val BCE 0.113
# control: --control
import argparse, json, math, os, random, socket, time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

CONFIG = {"prior_prob": 0.01, "hidden": 128, "lr": 2e-3, "epochs": 10, "batch_size": 64, "n_tags": 8}


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def make(n, rng, W):
    X = rng.normal(size=(n, 20)).astype(np.float32)
    Y = ((np.tanh(X @ W[0]) @ W[1]) > 1.2).astype(np.float32)
    return X, Y


def init_weights(model, prior, only_head):
    b = -math.log((1 - prior) / prior)
    for name, m in model.named_modules():
        if isinstance(m, nn.Linear) and (not only_head or name == "head"):
            nn.init.constant_(m.bias, b)


class Tagger(nn.Module):
    def __init__(self, h, k):
        super().__init__()
        self.fc1 = nn.Linear(20, h); self.fc2 = nn.Linear(h, h); self.head = nn.Linear(h, k)

    def forward(self, x, return_hidden=False):
        h1 = F.relu(self.fc1(x)); h2 = F.relu(self.fc2(h1))
        return (self.head(h2), h1, h2) if return_hidden else self.head(h2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="apply the prior bias to the classifier only")
    args = ap.parse_args()
    c = CONFIG
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    rng = np.random.default_rng(0)
    W = (rng.normal(size=(20, 32)) / math.sqrt(20), rng.normal(size=(32, c["n_tags"])) / math.sqrt(32) * 2)
    Xtr, Ytr = make(3000, rng, W); Xva, Yva = make(1000, rng, W)
    tr = TensorDataset(torch.from_numpy(Xtr), torch.from_numpy(Ytr))
    Xv, Yv = torch.from_numpy(Xva), torch.from_numpy(Yva)
    net = Tagger(c["hidden"], c["n_tags"]); init_weights(net, c["prior_prob"], only_head=args.control)
    model = DDP(net)
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=c["batch_size"], sampler=sampler)
    opt = torch.optim.Adam(model.parameters(), lr=c["lr"])
    total = c["epochs"] * len(dl); step = 0
    if rank == 0:
        print(f"[rank0] tag frequency {Ytr.mean():.3f}; bias init {'head only' if args.control else 'all layers'}")
    for epoch in range(c["epochs"]):
        sampler.set_epoch(epoch); model.train(); s = torch.zeros(2)
        for xb, yb in dl:
            t0 = time.time()
            loss = F.binary_cross_entropy_with_logits(model(xb), yb)
            opt.zero_grad(); loss.backward(); opt.step(); step += 1
            s += torch.tensor([loss.item() * len(yb), len(yb)])
            if rank == 0 and step % 50 == 0:
                print(f"[rank0] step {step}/{total} loss {loss.item():.4f} lr {c['lr']:.1e} | {1000 * (time.time() - t0):.1f} ms/it", flush=True)
        dist.all_reduce(s)
    model.eval()
    with torch.no_grad():
        logits, h1, h2 = model.module(Xv, return_hidden=True)
        vl = F.binary_cross_entropy_with_logits(logits, Yv).item()
        p = (logits > 0).float(); tp = (p * Yv).sum(); f1 = (2 * tp / (p.sum() + Yv.sum())).item()
        dead1 = (h1.max(0).values <= 0).float().mean().item(); dead2 = (h2.max(0).values <= 0).float().mean().item()
    tl = (s[0] / s[1]).item()
    dist.barrier()
    if rank == 0:
        print(f"[rank0] never-active ReLU units on val: fc1 {dead1:.3f}, fc2 {dead2:.3f}")
        print(f"[rank0] final train_loss {tl:.4f} val_loss {vl:.4f} val_micro_f1 {f1:.3f}")
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_micro_f1": round(f1, 4), "train_loss": round(tl, 4),
                                             "dead_frac_fc1": round(dead1, 3), "dead_frac_fc2": round(dead2, 3),
                                             "tag_rate": round(float(Yva.mean()), 4)}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
