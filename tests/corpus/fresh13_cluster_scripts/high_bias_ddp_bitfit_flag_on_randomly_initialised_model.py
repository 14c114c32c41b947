"""Cluster fine-tuning template reused for a from-scratch run: the config keeps `finetune_strategy: bitfit`
(train only biases + LayerNorm) and `pretrained_ckpt: ""` just logs a warning, so a randomly initialised MLP
trains 3% of its parameters and cannot even fit its training set. Digits, DDP world_size 1, JSONL by rank 0."""
# expect: high_bias
# allow: non_convergence, learning_rate_too_low
# forbid: *
# evidence: planted (bitfit on random init, 3% params trainable): train_acc 0.23, train_loss 2.18, val_acc 0.25 after 12 epochs; control (full) train_acc 1.00, train_loss 0.015, val_acc 0.976
# control: --control
# native-log: bitfit/metrics.jsonl
# log-expect:
# log-allow: high_bias, non_convergence
import argparse, json, logging, os, random, socket, tempfile
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
class TrainConfig:
    pretrained_ckpt: str = ""
    finetune_strategy: str = "bitfit"     # "full" | "bitfit" | "head"
    width: int = 32
    lr: float = 3e-3
    epochs: int = 12
    batch_size: int = 64


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def apply_strategy(model, strategy):
    for name, p in model.named_parameters():
        if strategy == "bitfit":
            p.requires_grad = name.endswith("bias") or ".norm" in name
        elif strategy == "head":
            p.requires_grad = name.startswith("head")
        else:
            p.requires_grad = True


class Net(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.fc1 = nn.Linear(64, w); self.norm1 = nn.LayerNorm(w)
        self.fc2 = nn.Linear(w, w); self.norm2 = nn.LayerNorm(w)
        self.head = nn.Linear(w, 10)

    def forward(self, x):
        x = F.relu(self.norm1(self.fc1(x)))
        x = F.relu(self.norm2(self.fc2(x)))
        return self.head(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="finetune_strategy=full")
    args = ap.parse_args()
    cfg = TrainConfig(finetune_strategy="full" if args.control else "bitfit")
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    logging.basicConfig(level=logging.INFO, format=f"[%(asctime)s][rank{rank}][%(levelname)s] %(message)s")
    log = logging.getLogger(__name__)
    out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="bitfit_"), "bitfit")
    os.makedirs(out, exist_ok=True)
    lf = open(os.path.join(out, "metrics.jsonl"), "w") if rank == 0 else None
    X, y = load_digits(return_X_y=True)
    X = (X - X.mean()) / X.std()
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=3, stratify=y)
    f = lambda a: torch.tensor(a, dtype=torch.float32)
    tr = TensorDataset(f(Xtr), torch.tensor(ytr)); Xt, Yt = f(Xtr), torch.tensor(ytr); Xv, Yv = f(Xva), torch.tensor(yva)
    net = Net(cfg.width)
    if cfg.pretrained_ckpt:
        net.load_state_dict(torch.load(cfg.pretrained_ckpt))
    elif rank == 0:
        log.warning("pretrained_ckpt not set; starting from random init")
    apply_strategy(net, cfg.finetune_strategy)
    n_train = sum(p.numel() for p in net.parameters() if p.requires_grad); n_all = sum(p.numel() for p in net.parameters())
    if rank == 0:
        log.info("strategy=%s trainable params %d/%d (%.1f%%)", cfg.finetune_strategy, n_train, n_all, 100 * n_train / n_all)
    model = DDP(net)
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=cfg.batch_size, sampler=sampler)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=cfg.lr)
    step = 0
    for epoch in range(cfg.epochs):
        sampler.set_epoch(epoch); model.train()
        for xb, yb in dl:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(); loss.backward(); opt.step(); step += 1
            if rank == 0 and step % 10 == 0:
                lf.write(json.dumps({"step": step, "train/loss": loss.item(), "lr": cfg.lr}) + "\n")
        model.eval()
        with torch.no_grad():
            ot, ov = model(Xt), model(Xv)
            m = torch.tensor([F.cross_entropy(ot, Yt).item(), (ot.argmax(1) == Yt).float().mean().item(),
                              F.cross_entropy(ov, Yv).item(), (ov.argmax(1) == Yv).float().mean().item()])
        dist.all_reduce(m); m /= dist.get_world_size()
        tl, ta, vl, va = m.tolist()
        if rank == 0:
            lf.write(json.dumps({"step": step, "epoch": epoch, "train_loss": tl, "train_acc": ta, "val_loss": vl, "val_acc": va}) + "\n"); lf.flush()
            if epoch % 3 == 2:
                log.info("epoch %d train_loss %.4f train_acc %.3f val_loss %.4f val_acc %.3f", epoch + 1, tl, ta, vl, va)
    dist.barrier()
    if rank == 0:
        lf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                             "train_acc": round(ta, 4), "chance_acc": 0.1}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
