"""Cluster template: 2-layer ReLU RNN with identity recurrent init (IRNN) on a 40-step running-sum task.
The launch config sets `max_grad_norm: 0.0` ("0 disables clipping", copied from a transformer run), so the
first large gradients (~1e3 and up through the identity recurrence) go straight into SGD+momentum."""
# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, high_bias
# forbid: *
# evidence: planted (no clipping): grad norm 1.6e3 at step 1, Inf at step 2 (loss 7.5e18), then NaN loss/weights, val_mse NaN; control (max_grad_norm 1.0) val_mse 0.026 vs target variance 0.128
# control: --control
# native-log: irnn/train.jsonl
# log-expect:
# log-allow: exploding_gradients, non_finite, learning_rate_too_high, non_convergence, high_bias
import argparse, json, math, os, random, socket, tempfile, time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

LAUNCH_CFG = {"seq_len": 40, "hidden": 64, "layers": 2, "lr": 0.003, "momentum": 0.9, "epochs": 6,
              "per_device_batch": 50, "max_grad_norm": 0.0}


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def make(n, T, g):
    v = torch.rand(n, T, generator=g) - 0.5
    m = torch.zeros(n, T)
    return torch.stack([v, m], -1), v.sum(1) * 0.2


class IRNN(nn.Module):
    def __init__(self, h, layers):
        super().__init__()
        self.rnn = nn.RNN(2, h, num_layers=layers, nonlinearity="relu", batch_first=True)
        self.fc = nn.Linear(h, 1)
        for n, p in self.rnn.named_parameters():
            if "weight_hh" in n: nn.init.eye_(p)
            elif "bias" in n: nn.init.zeros_(p)
            else: nn.init.normal_(p, 0, 0.1)

    def forward(self, x):
        return self.fc(self.rnn(x)[0][:, -1]).squeeze(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="max_grad_norm = 1.0")
    args = ap.parse_args()
    cfg = dict(LAUNCH_CFG)
    if args.control:
        cfg["max_grad_norm"] = 1.0
    torch.set_num_threads(1); random.seed(0); np.random.seed(0); torch.manual_seed(0)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1"); os.environ.setdefault("MASTER_PORT", str(free_port()))
    os.environ.setdefault("RANK", "0"); os.environ.setdefault("WORLD_SIZE", "1")
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="irnn_"), "irnn")
    os.makedirs(out, exist_ok=True)
    lf = open(os.path.join(out, "train.jsonl"), "w") if rank == 0 else None
    g = torch.Generator().manual_seed(0)
    X, Y = make(1200, cfg["seq_len"], g); Xv, Yv = make(400, cfg["seq_len"], g)
    tr = TensorDataset(X, Y)
    sampler = DistributedSampler(tr, shuffle=True, seed=0)
    dl = DataLoader(tr, batch_size=cfg["per_device_batch"], sampler=sampler)
    model = DDP(IRNN(cfg["hidden"], cfg["layers"]))
    opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=cfg["momentum"])
    step, total = 0, cfg["epochs"] * len(dl)
    for epoch in range(cfg["epochs"]):
        sampler.set_epoch(epoch); model.train(); s = torch.zeros(2); gmax = 0.0
        for xb, yb in dl:
            t0 = time.time()
            loss = F.mse_loss(model(xb), yb)
            opt.zero_grad(); loss.backward()
            if cfg["max_grad_norm"] > 0:
                gn = torch.nn.utils.clip_grad_norm_(model.parameters(), cfg["max_grad_norm"]).item()
            else:
                gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()])).item()
            gmax = max(gmax, gn) if math.isfinite(gn) else float("inf")
            opt.step(); step += 1
            s += torch.tensor([loss.item() * len(yb), len(yb)])
            if rank == 0:
                lf.write(json.dumps({"step": step, "loss": loss.item(), "grad_norm": gn, "lr": cfg["lr"]}) + "\n")
                if step % 24 == 0:
                    print(f"[rank0] step {step}/{total} loss {loss.item():.4f} grad_norm {gn:.3g} lr {cfg['lr']:.1e} | {1000 * (time.time() - t0):.1f} ms/it", flush=True)
        dist.all_reduce(s)
        model.eval()
        with torch.no_grad():
            vl = F.mse_loss(model(Xv), Yv).item()
        tl = (s[0] / s[1]).item()
        if rank == 0:
            lf.write(json.dumps({"step": step, "epoch": epoch, "train_loss": tl, "val_loss": vl, "max_grad_norm_epoch": gmax}) + "\n"); lf.flush()
            print(f"[rank0] epoch {epoch + 1} train_mse {tl:.4f} val_mse {vl:.4f} max grad norm {gmax:.3g}")
    dist.barrier()
    if rank == 0:
        lf.close()
        fin = lambda v: round(v, 5) if math.isfinite(v) else None
        print("CORPUS_METRIC " + json.dumps({"val_mse": fin(vl), "train_mse": fin(tl), "target_var": round(Yv.var().item(), 4),
                                             "finite": bool(math.isfinite(vl))}))
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
