# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, poor_initialization
# forbid: *
# evidence: ReLU RNN, T=40, recurrent identity*1.1: step-1 grad norm 1.3e4 (control identity*1.0: 57), loss 64 -> inf at step 2 -> NaN for the rest, val_mse null; control val_mse 0.038 (target var 1.10)
# control: --control
import sys, json, random
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
GAIN = 1.1 if "--control" not in sys.argv else 1.0   # helper default gain=1.1 ("slightly above 1 helps long memory")

def init_rnn(rnn, gain):
    for name, p in rnn.named_parameters():
        if "weight_hh" in name:
            nn.init.eye_(p); p.data.mul_(gain)      # IRNN-style identity init
        elif "weight_ih" in name:
            nn.init.normal_(p, std=0.1)
        else:
            nn.init.zeros_(p)

T = 40
def batch(n):
    x = torch.randn(n, T, 1)
    return x, x.sum(1) / np.sqrt(T)          # regress the (scaled) running sum

class M(nn.Module):
    def __init__(s):
        super().__init__()
        s.rnn = nn.RNN(1, 32, nonlinearity="relu", batch_first=True); s.fc = nn.Linear(32, 1)
        init_rnn(s.rnn, GAIN)
    def forward(s, x):
        o, h = s.rnn(x)
        return s.fc(o[:, -1])

m = M()
opt = torch.optim.SGD(m.parameters(), lr=1e-3)
xv, yv = batch(500)
for step in range(1, 401):
    x, y = batch(32)
    loss = nn.functional.mse_loss(m(x), y)
    opt.zero_grad(); loss.backward()
    gn = torch.nn.utils.clip_grad_norm_(m.parameters(), float("inf")).item()   # just measuring
    opt.step()
    if step % 50 == 0 or step <= 4:
        with torch.no_grad():
            vl = nn.functional.mse_loss(m(xv), yv).item()
        print(f"step {step}: loss {loss.item():.4g} val_mse {vl:.4g} grad_norm {gn:.3g}")
fin = lambda v: v if np.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_mse": fin(vl), "target_var": float(yv.var()), "train_loss": fin(loss.item())}))
