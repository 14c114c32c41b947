"""DistributedDataParallel on the CPU (gloo), for `torchrun --nproc_per_node=2`. With
--nan-rank R, rank R feeds NaN inputs from --nan-step on: a problem only that rank sees first."""
import argparse
import time

import torch
import torch.distributed as dist
from torch import nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP

parser = argparse.ArgumentParser()
parser.add_argument("--steps", type=int, default=12)
parser.add_argument("--nan-rank", type=int, default=-1)
parser.add_argument("--nan-step", type=int, default=5)
parser.add_argument("--sleep", type=float, default=0.0, help="seconds per step (a long run)")
args = parser.parse_args()

torch.set_num_threads(1)
dist.init_process_group("gloo")
rank = dist.get_rank()
torch.manual_seed(0)
model = DDP(nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3)))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
gen = torch.Generator().manual_seed(rank)
for step in range(args.steps):
    x, y = torch.randn(16, 8, generator=gen), torch.randint(0, 3, (16,), generator=gen)
    if rank == args.nan_rank and step >= args.nan_step:
        x[0, 0] = float("nan")
    opt.zero_grad()
    F.cross_entropy(model(x), y).backward()
    opt.step()
    if args.sleep:
        time.sleep(args.sleep)
dist.barrier()
dist.destroy_process_group()
print(f"rank {rank} done")
