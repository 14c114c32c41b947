# PINN for u'' = -u on [0, pi] with u(0)=0, u'(0)=1 (exact: sin t).
# Planted bug: the initial-slope condition u'(0) is computed with torch.autograd.grad(...,
# create_graph=False) (retain_graph=True was added to silence the "backward through the graph a
# second time" error). The slope term is therefore a constant in the loss: no gradient reaches the
# weights from it, the network collapses to the trivial solution u=0 and the loss sits at ~10.
# --control builds the slope with create_graph=True (the only change).
# expect: non_convergence
# allow: high_bias, learning_rate_too_low, vanishing_gradients
# forbid: *
# evidence: control (create_graph=True) reaches rel L2 error 6.8e-4 and loss 9.8e-6; planted loss sits at 9.85-9.87 from it 300 to 800 (slowly creeping up) with rel L2 error 0.994 (trivial solution u=0)
# control: --control
# native-log: train_history.csv
# log-expect: non_convergence
# log-allow: high_bias, learning_rate_too_low
import os, sys, csv, json, math, random, tempfile, argparse
import numpy as np
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

T = math.pi
net = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))
opt = torch.optim.Adam(net.parameters(), lr=1e-2)
t_test = torch.linspace(0, T, 400).unsqueeze(1)
u_exact = torch.sin(t_test)

def rel_l2():
    with torch.no_grad():
        return (torch.linalg.norm(net(t_test / T) - u_exact) / torch.linalg.norm(u_exact)).item()

f = open(os.path.join(log_dir, "train_history.csv"), "w", newline="")
wr = csv.writer(f)
wr.writerow(["iteration", "loss", "pde_loss", "ic_loss", "val_rel_l2"])
for it in range(1, 801):
    t = (torch.rand(100, 1) * T).requires_grad_(True)
    u = net(t / T)
    u_t = torch.autograd.grad(u.sum(), t, create_graph=True)[0]
    u_tt = torch.autograd.grad(u_t.sum(), t, create_graph=True)[0]
    pde = ((u_tt + u) ** 2).mean()
    t0 = torch.zeros(1, 1, requires_grad=True)
    u0 = net(t0 / T)
    if args.control:
        du0 = torch.autograd.grad(u0.sum(), t0, create_graph=True)[0]
    else:
        du0 = torch.autograd.grad(u0.sum(), t0, retain_graph=True)[0]  # BUG: no create_graph
    ic = (u0 ** 2).mean() + ((du0 - 1.0) ** 2).mean()
    loss = pde + 10.0 * ic
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 20 == 0:
        r = rel_l2()
        wr.writerow([it, f"{loss.item():.6e}", f"{pde.item():.6e}", f"{ic.item():.6e}", f"{r:.6e}"])
        if it % 100 == 0:
            print(f"it {it} loss {loss.item():.4e} pde {pde.item():.3e} ic {ic.item():.3e} relL2 {r:.3e}")
f.close()
r = rel_l2()
with torch.no_grad():
    mse = ((net(t_test / T) - u_exact) ** 2).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_rel_l2": round(r, 5), "val_mse": mse, "target_var": u_exact.var().item(), "train_loss": loss.item()}))
