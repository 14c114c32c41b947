"""Cluster template: residual MLP with `zero_init_residual: true` in the config. The init helper was meant to
zero only the last Linear of each residual branch, but it matches every nn.Linear (stem, branches, head),
so all activations are exactly 0 at the start and no weight gets a gradient. Digits, DDP world_size 1."""
# expect: poor_initialization
# allow: non_convergence, high_bias, vanishing_gradients, dead_units, learning_rate_too_low
# forbid: *
# evidence: probe: planted activation std by depth 0.0 at every block, all weight grads exactly 0 at step 1; loss stays 2.3026 = ln 10, val_acc 0.10; control (only branch fc2 zeroed) val_acc 0.974, val_loss 0.147
# control: --control
# native-log: resmlp.jsonl
# log-expect:
# log-allow: non_convergence, high_bias
import argparse, json, os, random, socket, tempfile
from dataclasses import dataclass

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


@dataclass
class Cfg:
    width: int = 128
    blocks: int = 3
    lr: float = 1e-3
    epochs: int = 10
    batch_size: int = 64
    zero_init_residual: bool = True


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm = nn.LayerNorm(w); self.fc1 = nn.Linear(w, 2 * w); self.fc2 = nn.Linear(2 * w, w)

    def forward(self, x):
        return x + self.fc2(F.gelu(self.fc1(self.norm(x))))


class ResMLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.stem = nn.Linear(64, cfg.width)
        self.blocks = nn.Sequential(*[Block(cfg.width) for _ in range(cfg.blocks)])
        self.head = nn.Linear(cfg.width, 10)


    def forward(self, x):
        return self.head(self.blocks(self.stem(x)))


def init_weights(model, cfg, correct):
    if not cfg.zero_init_residual:
        return
    for name, m in model.named_modules():
        if isinstance(m, nn.Linear):
            if correct and not name.endswith("fc2"):
                continue
            nn.init.zeros_(m.weight); nn.init.zeros_(m.bias)


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="zero only the residual branches' last Linear")
    args = ap.parse_args()
    cfg = Cfg()
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="resmlp_")
    os.makedirs(log_dir, exist_ok=True)
    lf = open(os.path.join(log_dir, "resmlp.jsonl"), "w") if rank == 0 else None
    X, y = load_digits(return_X_y=True)
    X = (X - X.mean()) / X.std()
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)
    tr = TensorDataset(torch.tensor(Xtr, dtype=torch.float32), torch.tensor(ytr))
    Xv, Yv = torch.tensor(Xva, dtype=torch.float32), torch.tensor(yva)
    net = ResMLP(cfg); init_weights(net, cfg, correct=args.control)
    with torch.no_grad():
        h = net.stem(Xv[:256]); stds = [h.std().item()]
        for b in net.blocks:
            h = b(h); stds.append(h.std().item())
    if rank == 0:
        print(f"[rank0] activation std by depth at init: {[round(s, 4) for s in stds]}")
    model = DDP(net)
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=cfg.batch_size, sampler=sampler)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    step = 0
    for epoch in range(cfg.epochs):
        sampler.set_epoch(epoch); model.train(); s = torch.zeros(2)
        for xb, yb in dl:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(); loss.backward()
            if step == 0 and rank == 0:
                gn = {n: round(p.grad.norm().item(), 6) for n, p in model.module.named_parameters() if n.endswith("weight") and p.grad is not None and p.dim() == 2}
                print(f"[rank0] first-step grad norms: {gn}")
            opt.step(); step += 1
            s += torch.tensor([loss.item() * len(yb), len(yb)])
            if rank == 0 and step % 10 == 0:
                lf.write(json.dumps({"step": step, "loss": round(loss.item(), 5), "lr": cfg.lr}) + "\n")
        dist.all_reduce(s)
        model.eval()
        with torch.no_grad():
            o = model(Xv); vl = F.cross_entropy(o, Yv).item(); va = (o.argmax(1) == Yv).float().mean().item()
        tl = (s[0] / s[1]).item()
        if rank == 0:
            lf.write(json.dumps({"step": step, "epoch": epoch, "train_loss": tl, "val_loss": vl, "val_acc": va}) + "\n"); lf.flush()
            print(f"[rank0] epoch {epoch + 1}/{cfg.epochs} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    dist.barrier()
    if rank == 0:
        lf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
