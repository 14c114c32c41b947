# PINN for the 1-D heat equation u_t = a u_xx on x in [0,1], t in [0,1], a = 0.1,
# u(x,0) = sin(pi x), u(0,t) = u(1,t) = 0; exact u = exp(-a pi^2 t) sin(pi x).
# Classic scientific-ML recipe: a short Adam warm-up, then full-batch L-BFGS with a strong-Wolfe
# line search (closure), which converges in a handful of outer steps -- loss drops by orders of
# magnitude per step and then flattens. Reports the relative L2 error on a 50x50 test grid.
# expect:
# allow:
# forbid: *
# evidence: test-grid relative L2 error 7.6e-4 (val_mse 1.2e-7 vs target var 0.057); loss 2.9e-3 after 200 Adam steps, then 8.0e-4 -> 2.4e-6 over 12 L-BFGS outer steps, flattening at the end
# native-log: heat_pinn.csv
# log-expect:
# log-allow:
import os, csv, json, math, random, tempfile
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
A = 0.1

net = nn.Sequential(nn.Linear(2, 20), nn.Tanh(), nn.Linear(20, 20), nn.Tanh(), nn.Linear(20, 1))
xt = torch.rand(300, 2).requires_grad_(True)              # interior collocation (x, t)
x_ic = torch.rand(50, 1); ic = torch.cat([x_ic, torch.zeros_like(x_ic)], 1)
t_bc = torch.rand(50, 1); bc = torch.cat([torch.cat([torch.zeros_like(t_bc), t_bc], 1), torch.cat([torch.ones_like(t_bc), t_bc], 1)], 0)
gx, gt = torch.meshgrid(torch.linspace(0, 1, 50), torch.linspace(0, 1, 50), indexing="ij")
grid = torch.stack([gx.flatten(), gt.flatten()], 1)
u_true = torch.exp(-A * math.pi ** 2 * grid[:, 1:]) * torch.sin(math.pi * grid[:, :1])

def losses():
    u = net(xt)
    g = torch.autograd.grad(u.sum(), xt, create_graph=True)[0]
    u_x, u_t = g[:, :1], g[:, 1:]
    u_xx = torch.autograd.grad(u_x.sum(), xt, create_graph=True)[0][:, :1]
    l_pde = ((u_t - A * u_xx) ** 2).mean()
    l_ic = ((net(ic) - torch.sin(math.pi * x_ic)) ** 2).mean()
    l_bc = (net(bc) ** 2).mean()
    return l_pde, l_ic, l_bc

def rel_l2():
    with torch.no_grad():
        return (torch.linalg.norm(net(grid) - u_true) / torch.linalg.norm(u_true)).item()

f = open(os.path.join(log_dir, "heat_pinn.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["phase", "step", "loss", "loss_pde", "loss_ic", "loss_bc", "rel_l2"])
adam = torch.optim.Adam(net.parameters(), lr=5e-3)
for step in range(1, 201):
    lp, li, lb = losses(); loss = lp + li + lb
    adam.zero_grad(); loss.backward(); adam.step()
    if step % 20 == 0:
        w.writerow(["adam", step, loss.item(), lp.item(), li.item(), lb.item(), rel_l2()])
print(f"after Adam warm-up: loss {loss.item():.3e} relL2 {rel_l2():.4f}")

lbfgs = torch.optim.LBFGS(net.parameters(), lr=1.0, max_iter=25, history_size=50, line_search_fn="strong_wolfe", tolerance_grad=1e-9, tolerance_change=1e-12)
def closure():
    lbfgs.zero_grad()
    lp, li, lb = losses(); loss = lp + li + lb
    loss.backward()
    return loss
for outer in range(1, 13):
    lbfgs.step(closure)
    lp, li, lb = losses(); loss = lp + li + lb
    r = rel_l2()
    w.writerow(["lbfgs", 200 + outer, loss.item(), lp.item(), li.item(), lb.item(), r])
    print(f"LBFGS outer {outer:2d} loss {loss.item():.3e} (pde {lp.item():.1e} ic {li.item():.1e} bc {lb.item():.1e}) relL2 {r:.5f}")
f.close()
with torch.no_grad():
    mse = ((net(grid) - u_true) ** 2).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_rel_l2": r, "val_mse": mse, "target_var": u_true.var().item(), "train_loss": loss.item()}))
