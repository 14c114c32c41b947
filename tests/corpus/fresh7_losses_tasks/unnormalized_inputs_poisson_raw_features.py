# expect: unnormalized_inputs, non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: raw feature stds 4.97e4 (population), 2.14e4 (income) vs 0.09-0.45 for others; planted: first-step log-rate up to 8.4e3 -> loss inf at step 0, NaN from step 1, val deviance NaN; control (log+standardised) val deviance 1.07 vs 7.92 for the mean rate, val MSE 6.5 vs target var 63
# control: --control
"""Planted: raw, unscaled input features for a Poisson count regression (PoissonNLLLoss, log-rate).

Task: daily number of service calls per district.  Features as they come from the table:
population (2e3-2e5), area km^2 (1-800), median income (1.5e4-9e4), mean temperature (-5..30 C),
share of elderly (0.05-0.35), weekend flag.  MLP -> log-rate, nn.PoissonNLLLoss(log_input=True),
Adam lr=1e-3, 20 epochs.  Planted: the raw columns go straight into the network.  --control: the
same columns standardised with train mean/std (log of the heavy-tailed ones first) - nothing else.
Metrics: held-out Poisson deviance per sample (reference: predicting the train mean rate) and
MSE on the counts vs their variance.
"""
import argparse, json, math
import torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()

def make(n, g):
    u = lambda a, b: a + (b - a) * torch.rand(n, generator=g)
    pop = torch.exp(u(7.6, 12.2)); area = torch.exp(u(0, 6.7)); inc = u(1.5e4, 9e4); temp = u(-5, 30)
    eld = u(0.05, 0.35); wkd = (torch.rand(n, generator=g) < 2 / 7).float()
    dens = torch.log(pop / area)
    lograte = -1.0 + 0.55 * torch.log(pop / 1e4) + 0.15 * (dens - 4) - 0.6 * (inc - 5e4) / 2e4 + 0.02 * (temp - 12) + 0.03 * (temp - 12).pow(2) / 10 + 3.0 * (eld - 0.2) - 0.4 * wkd
    y = torch.poisson(torch.exp(lograte + 1.0), generator=g)
    return torch.stack([pop, area, inc, temp, eld, wkd], 1), y

g = torch.Generator().manual_seed(1)
xtr, ytr = make(6000, g); xva, yva = make(2000, g)
print("raw feature means", [f"{v:.3g}" for v in xtr.mean(0).tolist()], "stds", [f"{v:.3g}" for v in xtr.std(0).tolist()])
if args.control:
    def prep(x): x = x.clone(); x[:, 0] = x[:, 0].log(); x[:, 1] = x[:, 1].log(); return x
    ptr = prep(xtr); mu, sd = ptr.mean(0), ptr.std(0)
    xtr, xva = (ptr - mu) / sd, (prep(xva) - mu) / sd
model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
crit = nn.PoissonNLLLoss(log_input=True, full=False)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

def deviance(rate, y):
    t = torch.where(y > 0, y * torch.log(y / rate), torch.zeros_like(y))
    return float((2 * (t - (y - rate))).mean())

for ep in range(20):
    perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
    for i in range(0, len(xtr), 64):
        b = perm[i:i + 64]; loss = crit(model(xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad(); loss.backward()
        if ep == 0 and i < 3 * 64:
            with torch.no_grad(): mx = float(model(xtr[b]).abs().max())
            print(f'probe step {i//64}: loss {loss.item():.4g} first-layer grad norm {float(model[0].weight.grad.norm()):.3g} max |log-rate| {mx:.3g}')
        opt.step(); tot += loss.item(); nb += 1
    with torch.no_grad():
        lr_ = model(xva).squeeze(1); vl = float(crit(lr_, yva)); rate = lr_.exp()
        dev = deviance(rate, yva); mse = float(((rate - yva) ** 2).mean())
    print(f"epoch {ep+1} poisson_nll {tot/nb:.4f} val_nll {vl:.4f} val_deviance {dev:.4f} val_mse {mse:.3f}")
with torch.no_grad(): tl = float(crit(model(xtr).squeeze(1), ytr))
base = deviance(torch.full_like(yva, float(ytr.mean())), yva)
fin = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_deviance": fin(dev), "val_mse": fin(mse), "train_loss": fin(tl), "mean_rate_deviance": round(base, 4), "target_var": round(float(yva.var()), 4)}))
