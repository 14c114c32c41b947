# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence
# forbid: *
# evidence: curriculum switches T 10 -> 30 at epoch 8 (step 161); epoch 7 val_mse 0.217 (target var 0.689), grad norm median 2.8 max 10; at epoch 8 grad norm max 1.3e3, recurrent spectral radius jumps 1.23 -> 99, the ReLU RNN dies and val_mse stays 0.69 (= variance) to epoch 15; control (clip_grad_norm 1.0) ends val_mse 0.162
# control: --control
# native-log: curriculum_log.csv
# log-expect:
# log-allow: exploding_gradients, non_finite, learning_rate_too_high, non_convergence
"""ReLU RNN with identity-initialised recurrence (IRNN) on a running-mean task.
A curriculum lengthens the sequences 10 -> 30 at epoch 8.
No gradient clipping: on the short sequences training is smooth, but once the
recurrent matrix has drifted slightly above spectral radius 1, backprop through
100 steps multiplies the gradient by rho^30 and it blows up.
Control: clip_grad_norm_(max_norm=1.0)."""
import os, sys, csv, json, math, random, tempfile
import numpy as np
import torch
import torch.nn as nn

CONTROL = "--control" in sys.argv
torch.manual_seed(6); np.random.seed(6); random.seed(6)
torch.set_num_threads(1)

class IRNN(nn.Module):
    def __init__(self, h=32):
        super().__init__()
        self.rnn = nn.RNN(2, h, nonlinearity="relu", batch_first=True)
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(torch.eye(h) * 1.02)
            self.rnn.bias_hh_l0.zero_(); self.rnn.bias_ih_l0.zero_()
        self.out = nn.Linear(h, 1)
    def forward(self, x):
        o, _ = self.rnn(x)
        return self.out(o[:, -1]).squeeze(1)

def batch(bs, T, g):
    v = torch.rand(bs, T, generator=g) * 2 - 1
    m = torch.zeros(bs, T)
    for i in range(bs):
        a, b = torch.randperm(T, generator=g)[:2]
        m[i, a] = 1; m[i, b] = 1
    y = (v * m).sum(1)                          # adding problem: sum of the two marked values
    return torch.stack([v, m], 2), y

g = torch.Generator().manual_seed(6)
model = IRNN()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
mse = nn.MSELoss()
STAGES = {0: 10, 8: 30}
EPOCHS, STEPS, BS = 16, 20, 32
val = {T: batch(256, T, torch.Generator().manual_seed(100 + T)) for T in STAGES.values()}

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
f = open(os.path.join(log_dir, "curriculum_log.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["step", "epoch", "seq_len", "loss", "val_loss", "lr"])
step = 0; T = 10
for ep in range(EPOCHS):
    T = STAGES.get(ep, T)
    gn = []
    for _ in range(STEPS):
        x, y = batch(BS, T, g)
        loss = mse(model(x), y)
        opt.zero_grad(); loss.backward()
        total = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters())).item()
        gn.append(total)
        if CONTROL:
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step(); step += 1
        w.writerow([step, ep, T, f"{loss.item():.6g}", "", 0.01])
    with torch.no_grad():
        vx, vy = val[T]; vl = mse(model(vx), vy).item()
    w.writerow([step, ep, T, f"{loss.item():.6g}", f"{vl:.6g}", 0.01])
    rho = torch.linalg.eigvals(model.rnn.weight_hh_l0.detach()).abs().max().item()
    print(f"epoch {ep:2d} T {T:3d} loss {loss.item():.4f} val_mse {vl:.4f} grad_norm median {np.median(gn):.3g} max {max(gn):.3g} rho {rho:.3f}")
f.close()
with torch.no_grad():
    vx, vy = val[30]; vl = mse(model(vx), vy).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": vl if math.isfinite(vl) else None, "target_var": round(vy.var().item(), 4), "seq_len": 30}))
