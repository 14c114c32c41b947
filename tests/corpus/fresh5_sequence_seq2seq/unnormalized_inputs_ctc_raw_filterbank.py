# expect: unnormalized_inputs
# allow: non_convergence, saturated_activations, vanishing_gradients, exploding_gradients, learning_rate_too_high, high_bias
# forbid: *
# evidence: planted (raw band energies, means 200-2000, per-band gains 50-800): val unit error rate 0.418, val CTC 0.63; control (CMVN): error rate 0.000, val CTC 0.011
# control: --control
# Keyword-spotting style CTC model: an LSTM over 20-band "filterbank" frames emits one of 6
# units or blank; decoded greedily. The feature extractor returns raw band energies (counts in
# the hundreds to thousands, each band with its own gain), and the usual per-band mean/variance
# normalisation (CMVN) step was never applied. --control: CMVN with the training-set stats.
import json, sys
import numpy as np
import torch
import torch.nn as nn

control = "--control" in sys.argv
torch.set_num_threads(1)
rng = np.random.RandomState(10)
torch.manual_seed(10)

UNITS, BANDS = 6, 20
proto = rng.randn(UNITS, BANDS)
band_gain = rng.uniform(50, 800, BANDS)      # microphone / filter gains differ per band
band_floor = rng.uniform(200, 2000, BANDS)


def utter():
    labs = rng.randint(1, UNITS + 1, size=rng.randint(2, 5))
    segs = [rng.randn(rng.randint(1, 3), BANDS) * 0.5 - 1.0]
    for l in labs:
        segs.append(proto[l - 1] + 0.9 * rng.randn(rng.randint(3, 6), BANDS))
        segs.append(rng.randn(rng.randint(1, 3), BANDS) * 0.5 - 1.0)
    clean = np.concatenate(segs)
    return (band_floor + band_gain * clean).astype(np.float32), labs


train = [utter() for _ in range(1000)]
val = [utter() for _ in range(300)]
if control:
    allf = np.concatenate([f for f, _ in train])
    mu, sd = allf.mean(0), allf.std(0)
    train = [((f - mu) / sd, l) for f, l in train]
    val = [((f - mu) / sd, l) for f, l in val]


def pack(items):
    T = max(len(f) for f, _ in items)
    x = np.zeros((len(items), T, BANDS), np.float32)
    for i, (f, _) in enumerate(items):
        x[i, :len(f)] = f
    return (torch.from_numpy(x), torch.tensor([len(f) for f, _ in items]),
            torch.from_numpy(np.concatenate([l for _, l in items])), torch.tensor([len(l) for _, l in items]))


class KWS(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(BANDS, 64, num_layers=1, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(128, UNITS + 1)

    def forward(self, x):
        return self.fc(self.lstm(x)[0]).log_softmax(-1)


def decode(lp, lens):
    out = []
    for seq, L in zip(lp.argmax(-1), lens):
        s = seq[:L].tolist()
        out.append([a for k, a in enumerate(s) if a != 0 and (k == 0 or a != s[k - 1])])
    return out


def lev(a, b):
    dp = np.arange(len(b) + 1)
    for i in range(1, len(a) + 1):
        prev = dp.copy(); dp[0] = i
        for j in range(1, len(b) + 1):
            dp[j] = min(prev[j] + 1, dp[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
    return dp[-1]


model = KWS()
ctc = nn.CTCLoss(zero_infinity=True)
opt = torch.optim.Adam(model.parameters(), lr=3e-3)


def evaluate(items):
    with torch.no_grad():
        x, il, y, yl = pack(items)
        lp = model(x)
        loss = ctc(lp.transpose(0, 1), y, il, yl).item()
        hyp = decode(lp, il)
    per = sum(lev(h, list(l)) for h, (_, l) in zip(hyp, items)) / sum(len(l) for _, l in items)
    return loss, per


for epoch in range(6):
    order = rng.permutation(len(train))
    for i in range(0, len(order), 25):
        x, il, y, yl = pack([train[j] for j in order[i:i + 25]])
        loss = ctc(model(x).transpose(0, 1), y, il, yl)
        opt.zero_grad(); loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        opt.step()
    vl, per = evaluate(val)
    print(f"epoch {epoch} train_ctc {loss.item():.3f} val_ctc {vl:.3f} val_unit_error_rate {per:.3f}")

tl, tper = evaluate(train[:300])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_ler": round(per, 4), "val_acc": round(max(0.0, 1 - per), 4),
                                     "train_loss": round(tl, 4), "train_ler": round(tper, 4)}))
