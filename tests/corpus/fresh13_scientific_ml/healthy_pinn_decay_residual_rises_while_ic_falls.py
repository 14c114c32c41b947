# PINN for first-order decay kinetics dc/dt = -k c, c(0) = 1 mol/L, k = 1.5 1/s, t in [0, 3] s
# (exact c = exp(-k t)). The network starts near c = 0, which satisfies the ODE residual almost
# perfectly but violates the initial condition; as training pulls c(0) up to 1 the residual term
# first RISES (by orders of magnitude) while the IC term falls -- a normal PINN transient -- and
# the error against the analytic solution improves throughout. Per-term losses logged as JSON lines.
# expect:
# allow:
# forbid: *
# evidence: rel L2 vs exp(-k t) falls 0.97 -> 0.0074 (val_mse 6e-6 vs target var 0.064); residual loss rises 8.5e-6 -> 0.30 in the first 20 steps while the IC loss falls 1.0 -> 0.32, then both fall; total loss 1.0 -> 8e-5
# native-log: pinn_terms.jsonl
# log-expect:
# log-allow:
import os, json, math, random, tempfile
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
K, T_END = 1.5, 3.0

net = nn.Sequential(nn.Linear(1, 24), nn.Tanh(), nn.Linear(24, 24), nn.Tanh(), nn.Linear(24, 1))
with torch.no_grad():
    net[-1].weight.mul_(0.01); net[-1].bias.zero_()      # start from c ~ 0 ("small output init")
opt = torch.optim.Adam(net.parameters(), lr=2e-3)
t_test = torch.linspace(0, T_END, 300).unsqueeze(1)
c_exact = torch.exp(-K * t_test)
rel = lambda: (torch.linalg.norm(net(t_test / T_END) - c_exact) / torch.linalg.norm(c_exact)).item()
log = open(os.path.join(log_dir, "pinn_terms.jsonl"), "w")
for step in range(1, 1201):
    t = (torch.rand(64, 1) * T_END).requires_grad_(True)
    c = net(t / T_END)
    dc = torch.autograd.grad(c.sum(), t, create_graph=True)[0]
    l_res = ((dc + K * c) ** 2).mean()
    l_ic = ((net(torch.zeros(1, 1)) - 1.0) ** 2).mean()
    loss = l_res + l_ic
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 20 == 0 or step == 1:
        with torch.no_grad():
            r = rel()
        log.write(json.dumps({"step": step, "loss": loss.item(), "loss_residual": l_res.item(), "loss_ic": l_ic.item(), "val_rel_l2": r}) + "\n")
        if step in (1, 20, 60, 100, 200, 400, 800, 1200):
            print(f"step {step:4d} loss {loss.item():.3e} residual {l_res.item():.3e} ic {l_ic.item():.3e} relL2 {r:.4f}")
log.close()
with torch.no_grad():
    mse = ((net(t_test / T_END) - c_exact) ** 2).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_rel_l2": r, "val_mse": mse, "target_var": c_exact.var().item(), "train_loss": loss.item()}))
