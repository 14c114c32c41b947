"""Flax-style TrainState (params, opt_state, step) with a pure `train_epoch(state, key) -> (state, metrics)`
folded over epochs like jax.lax.scan; RMSProp (with centered=False, eps inside the sqrt, as
optax.rmsprop) written by hand. Regression on a smooth synthetic function of 8 inputs with noise
(Bayes MSE 0.01 in standardised units). JSON lines of metric dicts with a step key."""
# expect:
# allow:
# forbid: *
# evidence: eval_mse 0.044 vs target variance 1.06 (R^2 0.96; label-noise floor 0.01), train_mse 0.032 (RMSProp makes the per-epoch curve a bit jumpy early on)
# native-log: scan_metrics.jsonl
# log-expect:
# log-allow:
import os, json, math, random, tempfile, dataclasses
import numpy as np, torch

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

root = torch.Generator().manual_seed(0)
def split_key(g, n=2): return [torch.Generator().manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=g))) for _ in range(n)]
data_key, init_key, loop_key = split_key(root, 3)

def target(x): return torch.sin(x[:, 0] * 1.5) + 0.5 * x[:, 1] * x[:, 2] + torch.tanh(x[:, 3] - x[:, 4]) + 0.3 * x[:, 5] ** 2
X = torch.randn(4000, 8, generator=data_key)
Y = target(X)
Y = (Y - Y[:3000].mean()) / Y[:3000].std()
Y = Y + 0.1 * torch.randn(len(Y), generator=data_key)
Xtr, Ytr, Xte, Yte = X[:3000], Y[:3000], X[3000:], Y[3000:]

@dataclasses.dataclass(frozen=True)
class TrainState:
    params: dict; opt_state: dict; step: int

def init(key):
    s = [8, 128, 128, 1]
    return {f"l{i}": {"w": torch.randn(a, b, generator=key) * math.sqrt(1 / a), "b": torch.zeros(b)} for i, (a, b) in enumerate(zip(s[:-1], s[1:]))}
def apply(p, x):
    for i in range(3):
        x = x @ p[f"l{i}"]["w"] + p[f"l{i}"]["b"]
        if i < 2: x = torch.nn.functional.elu(x)
    return x.squeeze(-1)

LR, DECAY, EPS = 1e-3, 0.9, 1e-6
def rmsprop_step(params, grads, nu):
    new_p, new_nu = {}, {}
    for a in params:
        new_p[a], new_nu[a] = {}, {}
        for b in params[a]:
            new_nu[a][b] = DECAY * nu[a][b] + (1 - DECAY) * grads[a][b] ** 2
            new_p[a][b] = (params[a][b] - LR * grads[a][b] / torch.sqrt(new_nu[a][b] + EPS)).detach()
    return new_p, new_nu

def train_step(state, xb, yb):
    names = [(a, b) for a in state.params for b in state.params[a]]
    leaves = [state.params[a][b].requires_grad_(True) for a, b in names]
    loss = ((apply(state.params, xb) - yb) ** 2).mean()
    gl = torch.autograd.grad(loss, leaves)
    grads = {a: {} for a in state.params}
    for (a, b), g in zip(names, gl): grads[a][b] = g
    p, nu = rmsprop_step(state.params, grads, state.opt_state["nu"])
    return TrainState(p, {"nu": nu}, state.step + 1), loss.item()

def train_epoch(state, key):
    perm = torch.randperm(len(Xtr), generator=key)
    losses = []
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        state, l = train_step(state, Xtr[idx], Ytr[idx]); losses.append(l)
    with torch.no_grad(): em = ((apply(state.params, Xte) - Yte) ** 2).mean().item()
    return state, {"train_mse": float(np.mean(losses)), "eval_mse": em}

def scan(f, init_carry, xs):
    carry, ys = init_carry, []
    for x in xs:
        carry, y = f(carry, x); ys.append(y)
    return carry, ys

params = init(init_key)
state = TrainState(params, {"nu": {a: {b: torch.zeros_like(t) for b, t in d.items()} for a, d in params.items()}}, 0)
epoch_keys = split_key(loop_key, 25)
state, history = scan(train_epoch, state, epoch_keys)
with open(os.path.join(LOG_DIR, "scan_metrics.jsonl"), "w") as f:
    for e, m in enumerate(history):
        rec = {"step": (e + 1) * math.ceil(len(Xtr) / 64), "epoch": e + 1, **m, "learning_rate": LR}
        f.write(json.dumps(rec) + "\n")
        if e % 4 == 0 or e == len(history) - 1: print(f"[epoch {e+1}] step={rec['step']} train_mse={m['train_mse']:.4f} eval_mse={m['eval_mse']:.4f}")
with torch.no_grad(): tm = ((apply(state.params, Xtr) - Ytr) ** 2).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(history[-1]["eval_mse"], 4), "train_mse": round(tm, 4), "target_var": round(Yte.var().item(), 4), "noise_var": 0.01}))
