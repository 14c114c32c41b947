# expect:
# allow:
# forbid: *
# evidence: val MSE 0.030 vs target variance 1.34 (R2 0.978, noise floor 0.01), train MSE 0.020; val MSE falls every epoch
"""T5/fairseq-flavoured regression run: a hand-written factored Adafactor (torch.optim.Optimizer
subclass: row/column second-moment factors for matrices, relative step off, update clipping d=1.0,
explicit lr), torch.utils.checkpoint on every residual MLP block (use_reentrant=False),
torch.autocast(enabled=False) + torch.cuda.amp.GradScaler(enabled=False) as the CPU fallback of an
AMP recipe, grad accumulation of 2 micro-batches. Task: predict a smooth nonlinear function of
16 standardised inputs (regression, Huber-free MSE). Healthy: val MSE far below target variance.
"""
import json, math, warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

torch.set_num_threads(1)
warnings.filterwarnings("ignore")


class Adafactor(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, eps=(1e-30, 1e-3), clip_threshold=1.0, decay_rate=-0.8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, eps=eps, clip_threshold=clip_threshold, decay_rate=decay_rate, weight_decay=weight_decay))

    @staticmethod
    def _rms(t):
        return t.norm(2) / (t.numel() ** 0.5)

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad; st = self.state[p]; factored = grad.dim() >= 2
                if not st:
                    st["step"] = 0
                    if factored:
                        st["exp_avg_sq_row"] = torch.zeros(grad.shape[:-1]); st["exp_avg_sq_col"] = torch.zeros(grad.shape[:-2] + grad.shape[-1:])
                    else:
                        st["exp_avg_sq"] = torch.zeros_like(grad)
                st["step"] += 1
                beta2t = 1.0 - math.pow(st["step"], group["decay_rate"])
                update = grad ** 2 + group["eps"][0]
                if factored:
                    r, c = st["exp_avg_sq_row"], st["exp_avg_sq_col"]
                    r.mul_(beta2t).add_(update.mean(-1), alpha=1 - beta2t); c.mul_(beta2t).add_(update.mean(-2), alpha=1 - beta2t)
                    r_factor = (r / r.mean(-1, keepdim=True)).rsqrt_().unsqueeze(-1); c_factor = c.unsqueeze(-2).rsqrt()
                    update = torch.mul(r_factor, c_factor) * grad
                else:
                    v = st["exp_avg_sq"]; v.mul_(beta2t).add_(update, alpha=1 - beta2t); update = v.rsqrt() * grad
                update.div_((self._rms(update) / group["clip_threshold"]).clamp_(min=1.0))
                if group["weight_decay"]:
                    p.add_(p, alpha=-group["weight_decay"] * group["lr"])
                p.add_(update, alpha=-group["lr"])


class Block(nn.Module):
    def __init__(self, d):
        super().__init__(); self.norm = nn.LayerNorm(d); self.fc1 = nn.Linear(d, 2 * d); self.fc2 = nn.Linear(2 * d, d)

    def forward(self, x):
        return x + self.fc2(F.silu(self.fc1(self.norm(x))))


class Net(nn.Module):
    def __init__(self, d=96, depth=4):
        super().__init__()
        self.inp = nn.Linear(16, d); self.blocks = nn.ModuleList([Block(d) for _ in range(depth)]); self.out = nn.Linear(d, 1)

    def forward(self, x):
        x = self.inp(x)
        for b in self.blocks:
            x = checkpoint(b, x, use_reentrant=False) if self.training else b(x)
        return self.out(x).squeeze(-1)


def target_fn(x):
    return torch.sin(x[:, 0] * 1.5) + 0.5 * x[:, 1] * x[:, 2] + torch.tanh(x[:, 3:8].sum(1) / 2) - 0.3 * x[:, 8] ** 2


def main():
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    xtr = torch.randn(4000, 16, generator=g); ytr = target_fn(xtr) + 0.1 * torch.randn(4000, generator=g)
    xva = torch.randn(1000, 16, generator=g); yva = target_fn(xva) + 0.1 * torch.randn(1000, generator=g)
    model = Net(); opt = Adafactor(model.parameters(), lr=2e-3, weight_decay=1e-4)
    scaler = torch.cuda.amp.GradScaler(enabled=False)
    accum, micro = 2, 32; steps_per_epoch = len(xtr) // (accum * micro); epochs = 12; total = epochs * steps_per_epoch; step = 0
    for epoch in range(epochs):
        model.train(); perm = torch.randperm(len(xtr), generator=g); tot = 0.0
        for s in range(steps_per_epoch):
            for pg in opt.param_groups:
                pg["lr"] = 2e-3 * min(1.0, (step + 1) / 30) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * step / total)))
            for k in range(accum):
                idx = perm[(s * accum + k) * micro:(s * accum + k + 1) * micro]
                with torch.autocast(device_type="cpu", dtype=torch.bfloat16, enabled=False):
                    loss = F.mse_loss(model(xtr[idx]), ytr[idx]) / accum
                scaler.scale(loss).backward(); tot += loss.item()
            scaler.unscale_(opt); torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            scaler.step(opt); scaler.update(); opt.zero_grad(set_to_none=True); step += 1
        model.eval()
        with torch.no_grad():
            vmse = F.mse_loss(model(xva), yva).item()
        print(f"epoch {epoch:2d} | train_mse {tot / steps_per_epoch:.4f} | valid_mse {vmse:.4f} | lr {opt.param_groups[0]['lr']:.2e}")
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(vmse, 4), "target_var": round(yva.var().item(), 4),
                                         "train_mse": round(tot / steps_per_epoch, 4), "noise_var": 0.01}))


if __name__ == "__main__":
    main()
