# PINN for the harmonic oscillator u'' = -u on t in [0, pi], u(0)=0, u'(0)=1 (exact: sin t).
# Adam with a step decay; the total loss plateaus around 1e-5 and wiggles from step to step,
# which is what a converged PINN looks like. Reports relative L2 error vs the analytic solution.
# expect:
# allow:
# forbid: *
# evidence: relative L2 error vs sin(t) on 400 held-out points is 2.3e-4 (excellent PINN fit); loss falls from ~9 to a wiggling plateau of 7e-6 to 1e-5 after step 800
# native-log: pinn_log.csv
# log-expect:
# log-allow:
import os, sys, csv, json, math, random, tempfile
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

T = math.pi
net = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))

def u_and_derivs(t):
    t = t.requires_grad_(True)
    u = net(t / T)  # scale input into [0,1]
    du = torch.autograd.grad(u.sum(), t, create_graph=True)[0]
    d2u = torch.autograd.grad(du.sum(), t, create_graph=True)[0]
    return u, du, d2u

opt = torch.optim.Adam(net.parameters(), lr=1e-2)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=400, gamma=0.3)
t_test = torch.linspace(0, T, 400).unsqueeze(1)
u_exact = torch.sin(t_test)
w_bc = 10.0

f = open(os.path.join(log_dir, "pinn_log.csv"), "w", newline="")
wr = csv.writer(f)
wr.writerow(["step", "loss", "loss_residual", "loss_bc", "rel_l2", "lr"])
for step in range(1, 1201):
    t_col = torch.rand(100, 1) * T
    _, _, d2u = u_and_derivs(t_col)
    res = d2u + net(t_col / T)
    loss_r = (res ** 2).mean()
    t0 = torch.zeros(1, 1)
    u0, du0, _ = u_and_derivs(t0)
    loss_bc = (u0 ** 2).mean() + ((du0 - 1.0) ** 2).mean()
    loss = loss_r + w_bc * loss_bc
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    if step % 50 == 0:
        with torch.no_grad():
            pred = net(t_test / T)
            rel = (torch.linalg.norm(pred - u_exact) / torch.linalg.norm(u_exact)).item()
        wr.writerow([step, f"{loss.item():.6e}", f"{loss_r.item():.6e}", f"{loss_bc.item():.6e}", f"{rel:.6e}", sched.get_last_lr()[0]])
        if step % 200 == 0:
            print(f"step {step} loss {loss.item():.3e} res {loss_r.item():.3e} bc {loss_bc.item():.3e} relL2 {rel:.3e}")
f.close()
with torch.no_grad():
    pred = net(t_test / T)
    rel = (torch.linalg.norm(pred - u_exact) / torch.linalg.norm(u_exact)).item()
    mse = ((pred - u_exact) ** 2).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_rel_l2": round(rel, 5), "val_mse": mse, "target_var": u_exact.var().item(), "train_loss": loss.item()}))
