"""A small DQN (replay buffer, target network synced every 200 steps, Huber TD loss,
epsilon-greedy with linear decay) on a hand-written 10-state chain (start in state 3): moving left
to state 0 pays a small 0.05 at once (a trap), the far right end pays 1.0.
The TD loss rises while value estimates propagate back along the chain; the
quantity that matters is the greedy return."""
# expect:
# allow:
# forbid: *
# evidence: greedy return 1.00 = optimum (the trap pays 0.05); Q(start,right) 0.951 vs its true value 0.951; TD loss rises 0.0011 -> 0.0034 while values propagate, then ~0 (tiny gradients in a converged Q-net)
# native-log:
import os, sys, json, random, collections
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)

N_STATES, MAX_T, GAMMA = 10, 30, 0.99
START = 3


def env_step(s, a):
    s2 = s - 1 if a == 0 else s + 1
    if s2 == 0:
        return s2, 0.05, True
    if s2 == N_STATES - 1:
        return s2, 1.0, True
    return s2, 0.0, False


def feat(s):
    x = np.zeros(N_STATES, np.float32); x[s] = 1.0
    return x


q = nn.Sequential(nn.Linear(N_STATES, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
q_target = nn.Sequential(nn.Linear(N_STATES, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
q_target.load_state_dict(q.state_dict())
opt = torch.optim.Adam(q.parameters(), lr=1e-3)
buf = collections.deque(maxlen=5000)

TOTAL, BATCH, SYNC = 2500, 32, 100
s, t, ep_ret, returns, losses = START, 0, 0.0, [], []
for step in range(TOTAL):
    eps = max(0.05, 1.0 - step / 1500)
    if random.random() < eps:
        a = random.randint(0, 1)
    else:
        with torch.no_grad():
            a = int(q(torch.tensor(feat(s))).argmax())
    s2, r, done = env_step(s, a)
    t += 1
    buf.append((feat(s), a, r, feat(s2), float(done)))
    ep_ret += r
    s = s2
    if done or t >= MAX_T:
        returns.append(ep_ret); s, t, ep_ret = START, 0, 0.0
    if len(buf) >= 256:
        batch = random.sample(buf, BATCH)
        o, a_, r_, o2, d_ = map(np.array, zip(*batch))
        o, o2 = torch.tensor(o), torch.tensor(o2)
        a_ = torch.tensor(a_); r_ = torch.tensor(r_, dtype=torch.float32); d_ = torch.tensor(d_, dtype=torch.float32)
        with torch.no_grad():
            target = r_ + GAMMA * (1 - d_) * q_target(o2).max(1).values
        pred = q(o).gather(1, a_[:, None]).squeeze(1)
        loss = F.smooth_l1_loss(pred, target)
        opt.zero_grad(); loss.backward(); opt.step()
        losses.append(loss.item())
    if step % SYNC == 0:
        q_target.load_state_dict(q.state_dict())
    if step % 500 == 0 and losses:
        recent = returns[-20:] if returns else [0]
        print(f"step {step:4d} eps {eps:.2f} td_loss {np.mean(losses[-100:]):.5f} avg_return(last20) {np.mean(recent):.3f}")

# greedy evaluation
s, g = START, 0.0
for t in range(MAX_T):
    with torch.no_grad():
        a = int(q(torch.tensor(feat(s))).argmax())
    s, r, done = env_step(s, a)
    g += r
    if done:
        break
with torch.no_grad():
    q_start = q(torch.tensor(feat(START))).numpy()
true_right = GAMMA ** (N_STATES - 2 - START)
print(f"Q(start) = {q_start}, true Q(start,right) = {true_right:.3f}")
print("CORPUS_METRIC " + json.dumps({"greedy_return": round(g, 4), "optimal_return": 1.0, "trap_return": 0.05,
                                      "q_start_right": round(float(q_start[1]), 4), "q_start_right_true": round(true_right, 4),
                                      "final_td_loss": round(float(np.mean(losses[-100:])), 6)}))
