"""Cluster template: 'linear scaling rule' lr = base_lr * GLOBAL_GPUS with GLOBAL_GPUS hard-coded to 64
(copied from the 8x8-node launch config), but the job runs on a single process. Digits CNN, SGD+momentum."""
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units, high_bias
# forbid: *
# evidence: planted lr 3.2: loss 82.8 at step 10, then bounces 2.3-2.8 at chance, val_acc 0.10; control lr 0.05: val_acc 0.993, val_loss 0.025
# control: --control
# native-log: train_log.jsonl
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, high_bias
import argparse, json, os, random, socket, tempfile, time

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

GLOBAL_GPUS = 64          # from launch/8nodes_8gpus.sh
BASE_LR = 0.05            # tuned for one GPU, batch 32


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 4 * 4, 10)

    def forward(self, x):
        x = F.relu(self.c1(x))
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(x.flatten(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="scale by the real world size")
    ap.add_argument("--epochs", type=int, default=8)
    args = ap.parse_args()
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    n_gpus = world if args.control else GLOBAL_GPUS
    lr = BASE_LR * n_gpus
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="cnn64_")
    os.makedirs(log_dir, exist_ok=True)
    logf = open(os.path.join(log_dir, "train_log.jsonl"), "w") if rank == 0 else None
    if rank == 0:
        print(f"[rank0] world_size={world} scaling lr {BASE_LR} x {n_gpus} = {lr}")

    X, y = load_digits(return_X_y=True)
    X = (X / 16.0 - 0.3) / 0.4
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    tr = TensorDataset(torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8), torch.tensor(ytr))
    Xv = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8); Yv = torch.tensor(yva)
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=32, sampler=sampler)
    model = DDP(Net())
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    step = 0
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        model.train(); tot = torch.zeros(2)
        for xb, yb in dl:
            t0 = time.time()
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(); loss.backward(); opt.step(); step += 1
            tot += torch.tensor([loss.item() * len(yb), len(yb)])
            if rank == 0 and step % 10 == 0:
                logf.write(json.dumps({"step": step, "loss": loss.item(), "lr": lr}) + "\n")
                if step % 40 == 0:
                    print(f"[rank0] step {step}/{args.epochs * len(dl)} loss {loss.item():.4f} lr {lr:.2e} | {1000 * (time.time() - t0):.1f} ms/it")
        dist.all_reduce(tot)
        model.eval()
        with torch.no_grad():
            out = model(Xv)
            vl = F.cross_entropy(out, Yv).item(); va = (out.argmax(1) == Yv).float().mean().item()
        tl = (tot[0] / tot[1]).item()
        if rank == 0:
            logf.write(json.dumps({"step": step, "epoch": epoch, "train_loss": tl, "val_loss": vl, "val_acc": va}) + "\n"); logf.flush()
            print(f"[rank0] epoch {epoch} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    dist.barrier()
    if rank == 0:
        logf.close()
        print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": 0.1}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
