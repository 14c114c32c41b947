# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, learning_rate_too_low, poor_initialization
# forbid: *
# evidence: first-step grad norm first Linear 2.2e-07 vs last 4.7e-02 (ratio 4.6e-06, falls ~4x per layer); planted stays at the median-grade baseline (val MAE 0.943 = baseline 0.943, CORAL loss 2.11 -> 2.01 flat); control (ReLU+Kaiming, ratio 0.25) val MAE 0.35, train MAE 0.17
# control: --control
"""Planted: vanishing gradients from a deep sigmoid stack in an ordinal regression of 1-5 star ratings with a CORAL head (shared weights, K-1 biases).

Tabular features (16 standardised columns) -> latent quality -> 5 ordered grades with noisy
thresholds.  Planted: the body is 10 Linear+Sigmoid layers (width 64, Xavier init);
--control uses ReLU (with its Kaiming init) in the same 10 layers; nothing else changes.  Loss: CORAL = sum of K-1 binary cross-entropies on the cumulative targets
[y > k].  Single shared output unit + 4 learned biases, SGD lr=0.05 momentum 0.9, 30 epochs.  Metric: held-out MAE in grades; references: predicting the
median grade gives MAE ~0.9, and the noise in the latent caps the achievable MAE near ~0.3.
"""
import argparse, json
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
D, K = 16, 5
ap = argparse.ArgumentParser(); ap.add_argument('--control', action='store_true'); args = ap.parse_args()
A = torch.randn(D, 8) / 4

def make(n, g):
    x = torch.randn(n, D, generator=g)
    h = torch.tanh(x @ A)
    q = 1.5 * h[:, 0] + h[:, 1] * h[:, 2] + 0.8 * h[:, 3].pow(2) + 0.25 * torch.randn(n, generator=g)
    return x, q

g = torch.Generator().manual_seed(1)
xtr, qtr = make(5000, g); xva, qva = make(2000, g)
cuts = torch.quantile(qtr, torch.tensor([0.1, 0.3, 0.6, 0.85]))
ytr = torch.bucketize(qtr, cuts); yva = torch.bucketize(qva, cuts)

class Coral(nn.Module):
    def __init__(s):
        super().__init__()
        act = nn.ReLU if args.control else nn.Sigmoid  # planted: sigmoid everywhere
        layers = []
        for i in range(10): layers += [nn.Linear(D if i == 0 else 64, 64), act()]
        s.body = nn.Sequential(*layers)
        for l in s.body:  # each activation with its textbook init
            if isinstance(l, nn.Linear):
                (nn.init.kaiming_normal_(l.weight, nonlinearity="relu") if args.control else nn.init.xavier_normal_(l.weight)); nn.init.zeros_(l.bias)
        s.w = nn.Linear(64, 1, bias=False); s.b = nn.Parameter(torch.linspace(1, -1, K - 1))
    def forward(s, x): return s.w(s.body(x)) + s.b

def coral_loss(logits, y):
    levels = (y.unsqueeze(1) > torch.arange(K - 1)).float()
    return F.binary_cross_entropy_with_logits(logits, levels, reduction="none").sum(1).mean()

def predict(logits): return (torch.sigmoid(logits) > 0.5).sum(1)

m = Coral(); opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
probe_done = False
for ep in range(30):
    perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
    for i in range(0, len(xtr), 128):
        b = perm[i:i + 128]; loss = coral_loss(m(xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward()
        if not probe_done:
            gn = [float(l.weight.grad.norm()) for l in m.body if isinstance(l, nn.Linear)]
            print("probe first-step grad norm per Linear (input->output):", " ".join(f"{v:.1e}" for v in gn), "ratio first/last %.1e" % (gn[0] / gn[-1])); probe_done = True
        opt.step(); tot += loss.item(); nb += 1
    with torch.no_grad():
        lv = m(xva); vl = float(coral_loss(lv, yva)); mae = float((predict(lv) - yva).abs().float().mean())
    print(f"epoch {ep} coral_train {tot/nb:.4f} coral_val {vl:.4f} val_MAE {mae:.3f}")
with torch.no_grad(): lt = m(xtr); tl = float(coral_loss(lt, ytr)); tmae = float((predict(lt) - ytr).abs().float().mean())
med = yva.median(); base = float((yva - med).abs().float().mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_mae": round(mae, 4), "val_acc": round(float((predict(lv) == yva).float().mean()), 4), "train_loss": round(tl, 4), "train_mae": round(tmae, 4), "median_baseline_mae": round(base, 4)}))
