"""IRNN (ReLU RNN with identity-initialised recurrent matrix, Le et al. 2015) learning the
running sum of a 40-step sequence, SGD+momentum, no gradient clipping. Planted: the recurrent
init is eye*1.1 instead of eye*1.0 ('a bit of extra memory'), so backprop through 40 steps
multiplies the gradient by ~1.1^40 and the norm explodes during training. TensorBoard dir has
two version subdirectories: version_0 was Ctrl-C'd after 6 steps, version_1 is the real run; it
logs train/loss, train/grad_norm and val/mse every 50 steps."""
# expect: exploding_gradients
# allow: poor_initialization, non_finite, learning_rate_too_high, non_convergence
# forbid: *
# evidence: planted (eye*1.1): grad_norm 1.8e3 at step 0, max 1.1e9 during training, val_mse 3.5 vs target variance 0.27; control (eye*1.0): grad_norm 14 at step 0, max 28, val_mse 0.0015
# control: --control
# native-log: tb_logs
# log-expect: exploding_gradients
# log-allow: learning_rate_too_high, non_finite, non_convergence
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
SCALE = 1.0 if "--control" in sys.argv else 1.1
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
T = 40
def data(n):
    x = torch.randn(n, T, 1) * 0.5; return x, x.sum(1).squeeze(1) / T ** 0.5
Xtr, ytr = data(1024); Xva, yva = data(256)
def build():
    rnn = nn.RNN(1, 32, nonlinearity="relu", batch_first=True); head = nn.Linear(32, 1)
    with torch.no_grad():
        rnn.weight_hh_l0.copy_(torch.eye(32) * SCALE); rnn.bias_hh_l0.zero_(); rnn.bias_ih_l0.zero_()
    return rnn, head
def fwd(rnn, head, x):
    h, _ = rnn(x); return head(h[:, -1]).squeeze(1)
for version, nsteps in (("version_0", 6), ("version_1", 300)):
    torch.manual_seed(0)
    w = SummaryWriter(os.path.join(logdir, "tb_logs", "irnn_sum", version))
    rnn, head = build(); ps = list(rnn.parameters()) + list(head.parameters())
    opt = torch.optim.SGD(ps, lr=5e-4, momentum=0.9)
    gmax = 0; g0 = None
    for step in range(nsteps):
        idx = torch.randint(0, 1024, (32,))
        loss = ((fwd(rnn, head, Xtr[idx]) - ytr[idx]) ** 2).mean()
        opt.zero_grad(); loss.backward()
        g = torch.sqrt(sum((p.grad ** 2).sum() for p in ps)).item()
        g0 = g if g0 is None else g0; gmax = max(gmax, g) if g == g else gmax
        opt.step()
        w.add_scalar("train/loss", loss.item(), step); w.add_scalar("train/grad_norm", g, step)
        if step % 50 == 49:
            with torch.no_grad():
                vm = ((fwd(rnn, head, Xva) - yva) ** 2).mean().item()
            w.add_scalar("val/mse", vm, step)
    w.close()
    if version == "version_0":
        print("version_0: KeyboardInterrupt after 6 steps")
with torch.no_grad():
    vm = ((fwd(rnn, head, Xva) - yva) ** 2).mean().item()
fin = lambda v: round(v, 4) if np.isfinite(v) and abs(v) < 1e300 else None
print(f"scale {SCALE} grad_norm step0 {g0:.3g} max {gmax:.3g} final loss {loss.item():.4g} val_mse {vm:.4g} target_var {yva.var().item():.3f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": fin(vm), "target_var": round(yva.var().item(), 3), "grad_norm_step0": round(g0, 3), "grad_norm_max": fin(gmax), "train_loss": fin(loss.item())}))
