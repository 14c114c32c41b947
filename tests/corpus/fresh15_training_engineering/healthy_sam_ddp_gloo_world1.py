"""DistributedDataParallel on the gloo backend (world_size 1, file:// store) + SAM optimizer.

SAM (sharpness-aware minimisation) does two forward/backward passes per step: ascend to
w + rho * g/|g|, recompute the gradient there, restore w and step the base optimizer (SGD).
DistributedSampler, rank-0 logging, barrier at the end, destroy_process_group.
"""
# expect:
# allow:
# forbid: *
# evidence: two-moons (noise 0.2, 3000 pts), DDP gloo world_size 1, SAM(SGD 0.05, rho 0.05), 12 epochs: val_loss 0.094, val_acc 0.963 (chance 0.50; Bayes ~0.97), train_loss 0.093
import json, os, random, tempfile
from dataclasses import dataclass

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_moons
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

torch.set_num_threads(1)
random.seed(15); np.random.seed(15); torch.manual_seed(15)


@dataclass
class Config:
    lr: float = 0.05
    rho: float = 0.05
    epochs: int = 12
    batch_size: int = 64


class SAM(torch.optim.Optimizer):
    def __init__(self, params, base_optimizer_cls, rho=0.05, **kw):
        super().__init__(params, dict(rho=rho, **kw))
        self.base = base_optimizer_cls(self.param_groups, **kw)
        self.param_groups = self.base.param_groups

    @torch.no_grad()
    def first_step(self):
        gn = torch.norm(torch.stack([p.grad.norm() for g in self.param_groups for p in g["params"] if p.grad is not None]))
        for g in self.param_groups:
            scale = g["rho"] / (gn + 1e-12)
            for p in g["params"]:
                if p.grad is None: continue
                e = p.grad * scale; p.add_(e); self.state[p]["e_w"] = e
        self.zero_grad()

    @torch.no_grad()
    def second_step(self):
        for g in self.param_groups:
            for p in g["params"]:
                if "e_w" in self.state[p]: p.sub_(self.state[p]["e_w"])
        self.base.step(); self.zero_grad()


def main():
    cfg = Config()
    store = os.path.join(tempfile.mkdtemp(), "dist_store")
    dist.init_process_group("gloo", init_method=f"file://{store}", rank=0, world_size=1)
    rank = dist.get_rank()
    X, y = make_moons(n_samples=3000, noise=0.2, random_state=15)
    X = (X - X.mean(0)) / X.std(0)
    Xt = torch.tensor(X, dtype=torch.float32); yt = torch.tensor(y)
    tr_ds = TensorDataset(Xt[:2400], yt[:2400]); Xva, yva = Xt[2400:], yt[2400:]
    sampler = DistributedSampler(tr_ds, num_replicas=1, rank=rank, shuffle=True, seed=15)
    loader = DataLoader(tr_ds, batch_size=cfg.batch_size, sampler=sampler)
    model = DDP(nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2)))
    opt = SAM(model.parameters(), torch.optim.SGD, rho=cfg.rho, lr=cfg.lr, momentum=0.9)
    for epoch in range(cfg.epochs):
        sampler.set_epoch(epoch); tot = 0.0
        for xb, yb in loader:
            loss = F.cross_entropy(model(xb), yb); loss.backward(); opt.first_step()
            F.cross_entropy(model(xb), yb).backward(); opt.second_step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        model.train()
        if rank == 0 and epoch % 3 == 2:
            print(f"epoch {epoch} train_loss {tot / len(tr_ds):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    dist.barrier()
    dist.destroy_process_group()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(tr_ds), 4), "chance_acc": 0.5}))


if __name__ == "__main__":
    main()
