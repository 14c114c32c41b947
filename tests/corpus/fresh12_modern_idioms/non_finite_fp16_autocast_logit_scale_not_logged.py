# expect: non_finite
# allow: exploding_gradients, non_convergence, high_bias
# forbid: *
# evidence: cosine-similarity classifier (normalised features x normalised class prototypes x logit_scale.exp(), CLIP style) on load_digits under torch.autocast("cpu", float16) with torch.amp.GradScaler("cpu"); planted logit_scale initialised to 1/0.07 instead of log(1/0.07), so the scale is exp(14.3)=1.6e6 > fp16 max 65504, the fp16 logits overflow to inf and the loss is NaN on 176/176 steps (GradScaler skips them all, scale falls to 0), val_acc 0.14; control (--control, log(1/0.07), scale 14.3) 0/176 non-finite steps, val_acc 0.967, val_loss 0.102 (chance 0.10)
# control: --control
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=11, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1.0
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)


class CosineNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64))
        self.proto = nn.Parameter(torch.randn(10, 64) * 0.1)
        # CLIP-style learnable logit scale, used as logit_scale.exp()
        init = np.log(1 / 0.07) if CONTROL else 1 / 0.07  # BUG: forgot the log -> exp(14.3) = 1.6e6
        self.logit_scale = nn.Parameter(torch.tensor(float(init)))

    def forward(self, x):
        f = self.body(x)
        f = f / f.norm(dim=1, keepdim=True).clamp(min=1e-3)
        p = self.proto / self.proto.norm(dim=1, keepdim=True)
        return (f @ p.t()) * self.logit_scale.exp()


model = CosineNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
scaler = torch.amp.GradScaler("cpu")
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)
nan_steps = steps = 0
for ep in range(8):
    model.train(); tot = 0.0
    for xb, yb in loader:
        opt.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=torch.float16):
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
        scaler.scale(loss).backward()
        scaler.step(opt); scaler.update()
        steps += 1; nan_steps += int(not torch.isfinite(loss).item())
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.float16):
        out = model(Xva)
        vl = F.cross_entropy(out, yva).item()
    va = (out.float().argmax(1) == yva).float().mean().item(); tl = tot / len(Xtr)
    print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f} non-finite steps {nan_steps}/{steps} scale {scaler.get_scale():.3g}")
fin = lambda v: round(v, 4) if np.isfinite(v) else str(v)
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_acc": round(va, 4), "train_loss": fin(tl), "chance_acc": 0.1, "nonfinite_step_frac": nan_steps / steps}))
