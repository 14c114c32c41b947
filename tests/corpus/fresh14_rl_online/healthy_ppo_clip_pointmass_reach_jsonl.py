# expect:
# allow:
# forbid: *
# evidence: healthy PPO: deterministic eval_return -5.42 vs random policy -43.26 and scripted PD controller -6.66; training return -57.6 -> -8.1; clipped policy loss stays within +-0.01 and changes sign, value loss 320 -> 1.2, entropy 1.85 -> 1.09, approx-KL 0.007-0.03
# native-log: ppo_reach.jsonl
# log-expect:
# log-allow:
"""PPO (clipped surrogate, GAE(0.95), 4 epochs x 4 minibatches per rollout, state-independent
log-std, entropy bonus) on a hand-written 2-D point-mass reach task with 32 parallel copies.
The clipped policy loss is tiny, mostly negative and meanders without a trend, the value loss
falls then wobbles, the entropy falls steadily as log-std shrinks, and the approx-KL stays
small. Held-out metric: deterministic (mean-action) return vs a random policy and a scripted PD
controller. Healthy look-alike."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
SEED = 0
random.seed(SEED); np.random.seed(SEED); torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

DT, T, NENV = 0.1, 40, 32


def reset(n, rng):
    return np.concatenate([rng.uniform(-1, 1, (n, 2)), rng.uniform(-0.3, 0.3, (n, 2))], 1).astype(np.float32)


def step(s, a):
    a = np.clip(a, -1, 1)
    v = s[:, 2:] * 0.95 + DT * 2.0 * a
    p = s[:, :2] + DT * v
    r = -np.linalg.norm(p, axis=1) - 0.05 * (a ** 2).sum(1)
    return np.concatenate([p, v], 1).astype(np.float32), r.astype(np.float32)


def rollout_return(policy_fn, n=100, seed=7):
    r_ = np.random.default_rng(seed); s = reset(n, r_); R = np.zeros(n)
    for _ in range(T):
        s, r = step(s, policy_fn(s)); R += r
    return float(R.mean())


class ActorCritic(nn.Module):
    def __init__(self):
        super().__init__()
        self.pi = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 2))
        self.v = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))
        self.log_std = nn.Parameter(torch.full((2,), -0.5))

    def dist(self, o):
        return torch.distributions.Normal(self.pi(o), self.log_std.exp())


ac = ActorCritic()
opt = torch.optim.Adam(ac.parameters(), lr=3e-3)
GAMMA, LAM, CLIP, EPOCHS, NMB, ENT, ITERS = 0.99, 0.95, 0.2, 4, 4, 0.001, 38
rng = np.random.default_rng(SEED)
f = open(os.path.join(LOG_DIR, "ppo_reach.jsonl"), "w")
for it in range(ITERS):
    s = reset(NENV, rng)
    O, A, LP, R, V = [], [], [], [], []
    with torch.no_grad():
        for t in range(T):
            o = torch.as_tensor(s); d = ac.dist(o); a = d.sample()
            O.append(o); A.append(a); LP.append(d.log_prob(a).sum(-1)); V.append(ac.v(o).squeeze(-1))
            s, r = step(s, a.numpy()); R.append(torch.as_tensor(r))
        last_v = ac.v(torch.as_tensor(s)).squeeze(-1)  # time-limit: bootstrap from the final state
    adv = torch.zeros(T, NENV); gae = torch.zeros(NENV)
    for t in reversed(range(T)):
        nv = last_v if t == T - 1 else V[t + 1]
        delta = R[t] + GAMMA * nv - V[t]
        gae = delta + GAMMA * LAM * gae; adv[t] = gae
    ret = adv + torch.stack(V)
    O, A, LP, ret, adv = torch.cat(O), torch.cat(A), torch.cat(LP), ret.reshape(-1), adv.reshape(-1)
    adv = (adv - adv.mean()) / (adv.std() + 1e-8)
    stats = []
    for ep in range(EPOCHS):
        perm = torch.randperm(len(O))
        for mb in perm.chunk(NMB):
            d = ac.dist(O[mb]); lp = d.log_prob(A[mb]).sum(-1)
            ratio = (lp - LP[mb]).exp()
            pl = -torch.min(ratio * adv[mb], ratio.clamp(1 - CLIP, 1 + CLIP) * adv[mb]).mean()
            vl = F.mse_loss(ac.v(O[mb]).squeeze(-1), ret[mb])
            ent = d.entropy().sum(-1).mean()
            loss = pl + 0.5 * vl - ENT * ent
            opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(ac.parameters(), 0.5); opt.step()
            kl = (LP[mb] - lp).mean().item()
            stats.append((pl.item(), vl.item(), ent.item(), kl, ((ratio - 1).abs() > CLIP).float().mean().item()))
    st = np.mean(stats, 0)
    ep_ret = float(torch.stack(R).sum(0).mean())
    f.write(json.dumps({"iteration": it, "policy_loss": st[0], "value_loss": st[1], "entropy": st[2],
                        "approx_kl": st[3], "clip_frac": st[4], "episode_return": ep_ret, "lr": 3e-3}) + "\n")
    if it % 5 == 0 or it == ITERS - 1:
        print(f"iter {it:3d} policy_loss {st[0]:+.4f} value_loss {st[1]:.4f} entropy {st[2]:+.3f} "
              f"kl {st[3]:+.4f} clip_frac {st[4]:.3f} return {ep_ret:8.2f}")
f.close()
det = lambda s: ac.pi(torch.as_tensor(s)).detach().numpy()
rr = np.random.default_rng(3)
ev = rollout_return(det)
ra = rollout_return(lambda s: rr.uniform(-1, 1, (len(s), 2)))
pd = rollout_return(lambda s: -2.0 * s[:, :2] - 1.5 * s[:, 2:])
print("CORPUS_METRIC " + json.dumps({"eval_return": round(ev, 3), "random_return": round(ra, 3),
                                     "pd_controller_return": round(pd, 3)}))
