"""A vanilla tanh RNN unrolled by hand in a Python loop (h = tanh(x_t Wx + h Wh + b)), weights as
plain tensors (Wh initialised orthogonal, Wx Xavier), one-step-ahead forecasting of noisy sums of
sines with random frequency/phase, hand-written MSE, Adam-free SGD with momentum written by hand and
gradient-norm clipping written by hand. Text log 'iter N | loss X'."""
# expect:
# allow:
# forbid: *
# evidence: val_mse 0.038 vs target variance 0.665 (R2 0.94) and persistence baseline 0.102; a least-squares linear AR(20) fit on 20k fresh sequences gets 0.036 at the last step, so the plateau at ~0.04 from iter 100 is the practical floor (target noise alone is 0.010); grad norm 0.05-0.15 after clipping at 1.0
# native-log: rnn_train.log
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, math
import numpy as np, torch
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

T, H, NOISE = 30, 32, 0.1
def batch(n, g):
    f = torch.rand(n, 1, generator=g) * 0.25 + 0.15
    ph = torch.rand(n, 1, generator=g) * 2 * math.pi
    t = torch.arange(T + 1).float()[None]
    s = torch.sin(f * t + ph) + 0.5 * torch.sin(2.1 * f * t + 0.3 * ph)
    s = s + NOISE * torch.randn(s.shape, generator=g)
    return s[:, :-1, None], s[:, 1:]
gtr, gva = torch.Generator().manual_seed(1), torch.Generator().manual_seed(2)
Xva, Yva = batch(256, gva)

Wx = (torch.randn(1, H) * math.sqrt(2 / (1 + H))).requires_grad_()
Wh = torch.linalg.qr(torch.randn(H, H))[0].clone().requires_grad_()
bh = torch.zeros(H, requires_grad=True)
Wo = (torch.randn(H, 1) * math.sqrt(1 / H)).requires_grad_(); bo = torch.zeros(1, requires_grad=True)
params = [Wx, Wh, bh, Wo, bo]
vel = [torch.zeros_like(p) for p in params]

def run(X):
    h = torch.zeros(X.shape[0], H)
    outs = []
    for t in range(X.shape[1]):
        h = torch.tanh(X[:, t] @ Wx + h @ Wh + bh)
        outs.append(h @ Wo + bo)
    return torch.cat(outs, 1)

mse = lambda a, b: ((a - b) ** 2).mean()
log = open(os.path.join(LOG_DIR, "rnn_train.log"), "w")
lr, mom, clip = 0.2, 0.9, 1.0
for it in range(500):
    X, Y = batch(32, gtr)
    loss = mse(run(X), Y)
    loss.backward()
    with torch.no_grad():
        gn = torch.sqrt(sum((p.grad ** 2).sum() for p in params))
        scale = min(1.0, clip / (gn.item() + 1e-12))
        for p, v in zip(params, vel):
            v.mul_(mom).add_(p.grad * scale); p -= lr * v; p.grad = None
    if it % 10 == 0 or it == 499:
        with torch.no_grad(): vl = mse(run(Xva), Yva).item()
        log.write(f"iter {it} | loss {loss.item():.5f} | val_loss {vl:.5f} | grad_norm {gn.item():.3f} | lr {lr}\n")
        if it % 100 == 0 or it == 499:
            print(f"iter {it} loss {loss.item():.4f} val_mse {vl:.4f} grad_norm {gn.item():.3f}")
log.close()
with torch.no_grad():
    vl = mse(run(Xva), Yva).item()
    naive = mse(Xva[:, :, 0], Yva).item()  # persistence forecast y_{t+1} = y_t
print(f"val target variance {Yva.var().item():.4f}; persistence baseline mse {naive:.4f}; target noise variance (lower bound on mse) {NOISE**2:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": vl, "target_var": Yva.var().item(), "persistence_mse": naive, "train_loss": loss.item()}))
