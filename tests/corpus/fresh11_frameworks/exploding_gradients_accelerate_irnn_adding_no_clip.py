"""Planted exploding_gradients: Hugging Face Accelerate, identity-initialised ReLU RNN on the adding problem, no clipping.

The adding problem (Hochreiter & Schmidhuber; Le et al. 2015): 60-step sequences of (value, marker)
pairs, the target is the sum of the two marked values. An IRNN (ReLU RNN, recurrent weights =
identity, hidden 64) is trained with Adam through an Accelerator. IRNNs are known to need gradient
clipping. The planted cause: the clip_grad_norm_ call is missing -- the first steps produce
gradients with norm ~1e3, the unclipped updates throw the recurrence off and the model never
gets below the variance of the target. --control adds accelerator.clip_grad_norm_(..., 1.0).
An own CSV log (step, train_loss, grad_norm, lr; epoch rows with val_loss) in $CORPUS_LOG_DIR.
"""
# expect: exploding_gradients
# allow: non_convergence, learning_rate_too_high, high_bias
# forbid: *
# evidence: planted: grad norm max 3.3e3 (first steps; later spikes ~5e2) vs median 3.0, val_mse 0.151 ~ target variance 0.155 (never learns); control (clip at 1.0; same pre-clip norms up to 3.2e3): val_mse 0.0094
# control: --control
# native-log: irnn_log.csv
# log-expect:
# log-allow: exploding_gradients, non_convergence, learning_rate_too_high, high_bias
import os, sys, csv, json, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
torch.set_num_threads(1)
random.seed(0); np.random.seed(0); torch.manual_seed(0)
from accelerate import Accelerator
from accelerate.utils import set_seed
set_seed(0)
CONTROL = "--control" in sys.argv

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_irnn_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(0)
T = 60


def make(n):
    v = rng.uniform(0, 1, (n, T)); m = np.zeros((n, T))
    for i in range(n):
        a, b = rng.choice(T, 2, replace=False); m[i, a] = 1; m[i, b] = 1
    return torch.tensor(np.stack([v, m], -1), dtype=torch.float32), torch.tensor((v * m).sum(1), dtype=torch.float32)


Xtr, ytr = make(2000)
Xva, yva = make(500)


class IRNN(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.rnn = nn.RNN(2, hidden, nonlinearity="relu", batch_first=True)
        self.out = nn.Linear(hidden, 1)
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(torch.eye(hidden)); self.rnn.bias_hh_l0.zero_(); self.rnn.bias_ih_l0.zero_()

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h[:, -1]).squeeze(-1)


accelerator = Accelerator(cpu=True)
model = IRNN()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
train_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=50, shuffle=True)
model, opt, train_dl = accelerator.prepare(model, opt, train_dl)
fh = open(os.path.join(LOG_DIR, "irnn_log.csv"), "w", newline="")
w = csv.writer(fh); w.writerow(["epoch", "step", "train_loss", "grad_norm", "lr", "val_loss"])
norms, step = [], 0
for epoch in range(12):
    model.train()
    for xb, yb in train_dl:
        loss = ((model(xb) - yb) ** 2).mean()
        opt.zero_grad()
        accelerator.backward(loss)
        if CONTROL:
            gn = accelerator.clip_grad_norm_(model.parameters(), 1.0)
        else:  # measured only, nothing is clipped
            gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters() if p.grad is not None]))
        opt.step(); step += 1
        norms.append(float(gn))
        w.writerow([epoch, step, f"{loss.item():.6f}", f"{float(gn):.6g}", opt.param_groups[0]["lr"], ""])
    model.eval()
    with torch.no_grad():
        vl = ((model(Xva) - yva) ** 2).mean().item()
    w.writerow([epoch, step, "", "", opt.param_groups[0]["lr"], f"{vl:.6f}"]); fh.flush()
    print(f"epoch {epoch} val_mse {vl:.4f} max grad norm this epoch {max(norms[-len(train_dl):]):.3g}")
fh.close()
with torch.no_grad():
    tl = ((model(Xtr) - ytr) ** 2).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tl, 4), "target_var": round(yva.var().item(), 4),
                                     "grad_norm_max": float(f"{max(norms):.3g}"), "grad_norm_median": float(f"{np.median(norms):.3g}"),
                                     "clipped": CONTROL}))
