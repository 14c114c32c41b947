# expect:
# allow:
# forbid: *
# evidence: healthy A2C: greedy eval_return 1.0 over 1000 boards (best 1.0, random policy -0.61); entropy 1.09 -> 0.65, policy loss changes sign (-0.69, +0.42, -0.07, -0.02), training return -0.59 -> +0.97
# native-log: tb_catch
# log-expect:
# log-allow:
"""Advantage actor-critic with one shared trunk and two heads (policy logits, state value),
Huber value loss, entropy bonus, learning rate warm-up over 30 updates then linear decay to 10%,
on the bsuite-style 'Catch' game written in numpy (ball falls down a 10x5 board, the paddle moves
left / stays / right; +1 for a catch, -1 for a miss), 64 boards played in parallel. The entropy
falls, the policy loss is around zero with no trend, the per-update return is noisy (+-1 per
board). Logged to TensorBoard. Healthy."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.set_num_threads(1)
SEED = 0
random.seed(SEED); np.random.seed(SEED); torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

ROWS, COLS = 10, 5


class Catch:
    def __init__(self, n, rng):
        self.n, self.rng = n, rng

    def reset(self):
        self.ball_r = np.zeros(self.n, int); self.ball_c = self.rng.integers(0, COLS, self.n)
        self.pad = np.full(self.n, COLS // 2)
        return self.obs()

    def obs(self):
        o = np.zeros((self.n, ROWS, COLS), np.float32)
        o[np.arange(self.n), self.ball_r, self.ball_c] = 1.0
        o[np.arange(self.n), ROWS - 1, self.pad] = 1.0
        return o.reshape(self.n, -1)

    def step(self, a):  # a in {0,1,2} -> move -1, 0, +1
        self.pad = np.clip(self.pad + a - 1, 0, COLS - 1)
        self.ball_r += 1
        done = self.ball_r == ROWS - 1
        r = np.where(done, np.where(self.ball_c == self.pad, 1.0, -1.0), 0.0)
        return self.obs(), r, done


class SharedAC(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(ROWS * COLS, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
        self.pi = nn.Linear(64, 3); self.v = nn.Linear(64, 1)

    def forward(self, o):
        h = self.trunk(o)
        return self.pi(h), self.v(h).squeeze(-1)


net = SharedAC()
opt = torch.optim.Adam(net.parameters(), lr=5e-3)
UPDATES, WARM, NENV, GAMMA, ENT = 220, 20, 64, 0.99, 0.01
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda u: min(1.0, (u + 1) / WARM) * max(0.1, 1 - u / UPDATES))
rng = np.random.default_rng(SEED)
env = Catch(NENV, rng)
tb = SummaryWriter(os.path.join(LOG_DIR, "tb_catch"))
for u in range(UPDATES):
    o = env.reset(); O, A, Rw = [], [], []
    for t in range(ROWS - 1):
        ot = torch.as_tensor(o)
        with torch.no_grad():
            a = torch.distributions.Categorical(logits=net(ot)[0]).sample()
        o, r, done = env.step(a.numpy())
        O.append(ot); A.append(a); Rw.append(torch.as_tensor(r, dtype=torch.float32))
    G = torch.zeros(NENV); rets = []
    for t in reversed(range(ROWS - 1)):
        G = Rw[t] + GAMMA * G; rets.append(G)
    rets = torch.cat(rets[::-1]); Ocat = torch.cat(O); Acat = torch.cat(A)
    logits, V = net(Ocat)
    dist = torch.distributions.Categorical(logits=logits)
    adv = (rets - V).detach()
    policy_loss = -(dist.log_prob(Acat) * adv).mean()
    value_loss = F.smooth_l1_loss(V, rets)
    entropy = dist.entropy().mean()
    loss = policy_loss + 0.5 * value_loss - ENT * entropy
    opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    ep_ret = float(Rw[-1].mean())
    tb.add_scalar("loss/policy", policy_loss.item(), u); tb.add_scalar("loss/value", value_loss.item(), u)
    tb.add_scalar("loss/entropy", entropy.item(), u); tb.add_scalar("charts/episodic_return", ep_ret, u)
    tb.add_scalar("charts/learning_rate", opt.param_groups[0]["lr"], u)
    if u % 25 == 0 or u == UPDATES - 1:
        print(f"update {u:3d} lr {opt.param_groups[0]['lr']:.5f} policy_loss {policy_loss.item():+.4f} "
              f"value_loss {value_loss.item():.4f} entropy {entropy.item():.3f} return {ep_ret:+.3f}")
tb.close()


def play(pick, n=1000, seed=11):
    e = Catch(n, np.random.default_rng(seed)); o = e.reset()
    for t in range(ROWS - 1):
        o, r, done = e.step(pick(o))
    return float(r.mean())


with torch.no_grad():
    ev = play(lambda o: net(torch.as_tensor(o))[0].argmax(-1).numpy())
rr = np.random.default_rng(12)
ra = play(lambda o: rr.integers(0, 3, len(o)))
print("CORPUS_METRIC " + json.dumps({"eval_return": round(ev, 4), "random_return": round(ra, 4), "best_return": 1.0}))
