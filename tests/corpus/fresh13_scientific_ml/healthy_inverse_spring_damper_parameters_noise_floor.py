# Inverse problem: identify stiffness k (N/m) and damping c (N s/m) of a mass-spring-damper
# (m = 2 kg) from a noisy displacement record (sensor noise sd 5 mm), by differentiating through an
# RK4 simulation of the (linear) ODE, written as a one-step RK4 propagator matrix. Parameters are log-parametrised nn.Parameters, fitted with Adam.
# The data-fit loss cannot go below the sensor-noise variance (2.5e-5 m^2): it flattens at that
# floor (the Bayes error) once k and c are recovered. Checked on a second, held-out experiment.
# expect:
# allow:
# forbid: *
# evidence: recovered k 79.99 N/m (true 80, err 0.01%) and c 1.619 N s/m (true 1.6, err 1.2%); train loss flattens at 2.18e-5 from iter ~75 (noise var 2.5e-5 = Bayes floor), held-out experiment val_mse 3.0e-5 vs its signal var 9.0e-4
# native-log: inverse_fit.csv
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
MASS, K_TRUE, C_TRUE, NOISE = 2.0, 80.0, 1.6, 0.005
DT, N = 0.01, 300

def simulate(k, c, x0, v0):
    # the ODE is linear, s' = A s, so one RK4 step is the propagator P = I + hA + (hA)^2/2 + (hA)^3/6 + (hA)^4/24
    A = torch.stack([torch.stack([torch.zeros(()), torch.ones(())]), torch.stack([-k / MASS, -c / MASS])])
    hA = DT * A
    P = torch.eye(2) + hA + hA @ hA / 2 + hA @ hA @ hA / 6 + hA @ hA @ hA @ hA / 24
    s, xs = torch.stack([x0, v0]), [x0]
    for _ in range(N):
        s = P @ s
        xs.append(s[0])
    return torch.stack(xs)

with torch.no_grad():
    x_obs = simulate(torch.tensor(K_TRUE), torch.tensor(C_TRUE), torch.tensor(0.05), torch.tensor(0.0))
    x_obs = x_obs + NOISE * torch.randn_like(x_obs)
    x_held = simulate(torch.tensor(K_TRUE), torch.tensor(C_TRUE), torch.tensor(-0.03), torch.tensor(0.4))
    x_held = x_held + NOISE * torch.randn_like(x_held)

log_k = nn.Parameter(torch.tensor(math.log(50.0)))     # initial guesses from the handbook
log_c = nn.Parameter(torch.tensor(math.log(0.5)))
opt = torch.optim.Adam([log_k, log_c], lr=0.03)
f = open(os.path.join(log_dir, "inverse_fit.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["iter", "train_loss", "val_loss", "k", "c"])
for it in range(1, 201):
    pred = simulate(log_k.exp(), log_c.exp(), torch.tensor(0.05), torch.tensor(0.0))
    loss = ((pred - x_obs) ** 2).mean()
    opt.zero_grad(); loss.backward(); opt.step()
    if it % 5 == 0:
        with torch.no_grad():
            vl = ((simulate(log_k.exp(), log_c.exp(), torch.tensor(-0.03), torch.tensor(0.4)) - x_held) ** 2).mean().item()
        w.writerow([it, loss.item(), vl, log_k.exp().item(), log_c.exp().item()])
        if it % 25 == 0:
            print(f"iter {it} train_mse {loss.item():.3e} val_mse {vl:.3e} k {log_k.exp().item():.2f} c {log_c.exp().item():.3f} (noise var {NOISE**2:.1e})")
f.close()
k_hat, c_hat = log_k.exp().item(), log_c.exp().item()
print(f"recovered k {k_hat:.2f} N/m (true {K_TRUE}), c {c_hat:.3f} N s/m (true {C_TRUE}); loss floor = noise var {NOISE**2:.2e}")
print("CORPUS_METRIC " + json.dumps({"val_mse": vl, "train_loss": loss.item(), "noise_var": NOISE ** 2, "target_var": x_held.var().item(), "k_rel_err": abs(k_hat - K_TRUE) / K_TRUE, "c_rel_err": abs(c_hat - C_TRUE) / C_TRUE}))
