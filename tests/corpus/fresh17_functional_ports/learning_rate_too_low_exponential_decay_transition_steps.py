"""optax.exponential_decay(init_value=0.05, transition_steps=TS, decay_rate=0.5) ported by hand;
transition_steps was set to 8 (copied from a config counted in epochs, but the schedule is called
per step), so the lr halves every 8 steps and is ~1e-6 after ~120 steps. Momentum SGD by hand, params in a dict. CSV log with lr.
--control uses transition_steps=400."""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (transition_steps=400) reaches val_acc 0.976, val_loss 0.115, train_loss 0.004; planted: lr 0.05 -> 1.7e-6 by step 120 -> 6e-12, mean |update|/|w| 2e-11 at the end; loss frozen at val_loss 0.468, train_loss 0.48, val_acc 0.896 from step ~90 on
# control: --control
# native-log: train.csv
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
import os, sys, csv, json, math, random, tempfile
import numpy as np, torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
fh = open(os.path.join(LOG_DIR, "train.csv"), "w", newline=""); cw = csv.writer(fh)
cw.writerow(["step", "loss", "accuracy", "val_loss", "val_accuracy", "lr"])

X, y = load_digits(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=4, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0); sd[sd < 1e-3] = 1.0
Xtr, Xte = torch.tensor((Xtr - mu) / sd, dtype=torch.float32), torch.tensor((Xte - mu) / sd, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)

g = torch.Generator().manual_seed(1)
params = {"w0": torch.randn(64, 64, generator=g) * math.sqrt(2 / 64), "b0": torch.zeros(64),
          "w1": torch.randn(64, 64, generator=g) * math.sqrt(2 / 64), "b1": torch.zeros(64),
          "w2": torch.randn(64, 10, generator=g) / 8.0, "b2": torch.zeros(10)}
def apply(p, x):
    h = torch.relu(x @ p["w0"] + p["b0"]); h = torch.relu(h @ p["w1"] + p["b1"])
    return h @ p["w2"] + p["b2"]

TS = 400 if CONTROL else 8
def exponential_decay(init_value, transition_steps, decay_rate):
    return lambda count: init_value * decay_rate ** (count / transition_steps)
schedule = exponential_decay(0.05, TS, 0.5)
trace = {k: torch.zeros_like(v) for k, v in params.items()}
step, ratios = 0, []
gen = torch.Generator().manual_seed(2)
for epoch in range(12):
    perm = torch.randperm(len(Xtr), generator=gen)
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        leaves = {k: v.requires_grad_(True) for k, v in params.items()}
        lo = apply(leaves, Xtr[idx]); loss = torch.nn.functional.cross_entropy(lo, ytr[idx])
        grads = torch.autograd.grad(loss, list(leaves.values()))
        lr = schedule(step)
        with torch.no_grad():
            rs = []
            for (k, v), gr in zip(params.items(), grads):
                trace[k] = 0.9 * trace[k] + gr
                upd = -lr * trace[k]
                rs.append((upd.norm() / (v.norm() + 1e-12)).item())
                params[k] = (v + upd).detach()
        ratios.append(float(np.mean(rs)))
        step += 1
        if step % 10 == 0:
            row = [step, loss.item(), (lo.argmax(1) == ytr[idx]).float().mean().item(), "", "", lr]
            if step % 30 == 0:
                with torch.no_grad():
                    e = apply(params, Xte); row[3] = torch.nn.functional.cross_entropy(e, yte).item(); row[4] = (e.argmax(1) == yte).float().mean().item()
                print(f"[step {step}] lr={lr:.3g} train_loss={row[1]:.4f} eval_loss={row[3]:.4f} eval_accuracy={row[4]:.4f} update_ratio={ratios[-1]:.2e}")
            cw.writerow(row)
fh.close()
with torch.no_grad():
    e = apply(params, Xte); vl = torch.nn.functional.cross_entropy(e, yte).item(); va = (e.argmax(1) == yte).float().mean().item()
    tl = torch.nn.functional.cross_entropy(apply(params, Xtr), ytr).item()
print(f"probe: final lr={lr:.3g}, mean |update|/|w| over last 20 steps={np.mean(ratios[-20:]):.3e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
