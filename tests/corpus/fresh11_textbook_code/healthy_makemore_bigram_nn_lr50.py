# expect:
# allow:
# forbid: *
# evidence: names come from a known first-order Markov chain: neural bigram (lr=50, full batch) reaches val nll 2.292 vs the true chain's val nll 2.274 (best achievable) and the count-based bigram's 2.283; uniform would be 3.045; train 2.264
"""makemore part 1 style: the neural-net bigram model. One-hot encode the previous character,
logits = xenc @ W, softmax written by hand (counts = logits.exp(); probs = counts / counts.sum),
loss = -probs[arange, ys].log().mean() + 0.01*(W**2).mean(), full-batch gradient descent with
the lecture's enormous step `W.data += -50 * W.grad`. The "names" here come from a
first-order Markov chain, so a bigram model is the right model class. lr=50 is right for this convex,
one-hot-input problem: the loss falls smoothly to the count-based bigram's loss."""
import sys, json, random
import numpy as np
import torch
import torch.nn.functional as F

random.seed(3); np.random.seed(3); torch.manual_seed(3)
torch.set_num_threads(1)

# names drawn from a fixed random first-order Markov chain over 20 letters + '.', so the bigram
# model family contains the true generator and the true chain's nll is the best achievable loss
letters = list("abdeghiklmnorstuvyzj")
VV = len(letters) + 1
_gen = torch.Generator().manual_seed(7)
T = torch.rand((VV, VV), generator=_gen) ** 4          # peaky transitions
T[:, 0] = 0.0                                            # no empty names
T = T / T.sum(1, keepdim=True)
T[1:] *= 0.84
T[1:, 0] = 0.16                                          # average name length ~6

def make_names(n, seed=1234):
    rng = np.random.default_rng(seed)
    Tn = T.numpy().astype(np.float64)
    Tn = Tn / Tn.sum(1, keepdims=True)
    out = []
    while len(out) < n:
        w, cur = "", 0
        while True:
            cur = rng.choice(VV, p=Tn[cur])
            if cur == 0:
                break
            w += letters[cur - 1]
        out.append(w)
    return out

words = make_names(6000, seed=2024)
random.shuffle(words)
chars = sorted(list(set(''.join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}
V = len(stoi)

def bigrams(ws):
    xs, ys = [], []
    for w in ws:
        chs = ['.'] + list(w) + ['.']
        for ch1, ch2 in zip(chs, chs[1:]):
            xs.append(stoi[ch1]); ys.append(stoi[ch2])
    return torch.tensor(xs), torch.tensor(ys)

def true_nll(x, y):
    # nll of the generating chain itself (mapped to this script's vocabulary)
    idx = torch.tensor([0] + [letters.index(itos[i]) + 1 for i in range(1, V)])
    Tm = T[idx][:, idx]
    return -(Tm[x, y] / Tm[x].sum(1)).log().mean().item()

n1 = int(0.8 * len(words)); n2 = int(0.9 * len(words))
xs, ys = bigrams(words[:n1])
xdev, ydev = bigrams(words[n1:n2])
xte, yte = bigrams(words[n2:])
num = xs.nelement()
print('number of examples: ', num)

# the counting approach, with +1 smoothing, for reference
N = torch.zeros((V, V), dtype=torch.int32)
for a, b in zip(xs.tolist(), ys.tolist()):
    N[a, b] += 1
P = (N + 1).float()
P /= P.sum(1, keepdims=True)
count_dev = -P[xdev, ydev].log().mean().item()
count_tr = -P[xs, ys].log().mean().item()
print(f"count-based bigram: train nll {count_tr:.4f}, dev nll {count_dev:.4f}")
bayes_dev = true_nll(xdev, ydev)
print(f"true generating chain on dev: nll {bayes_dev:.4f} (best achievable)")

g = torch.Generator().manual_seed(2147483647)
W = torch.randn((V, V), generator=g, requires_grad=True)
xenc = F.one_hot(xs, num_classes=V).float()
for k in range(150):
    # forward pass
    logits = xenc @ W                      # predict log-counts
    counts = logits.exp()                  # counts, equivalent to N
    probs = counts / counts.sum(1, keepdims=True)  # probabilities for next character
    loss = -probs[torch.arange(num), ys].log().mean() + 0.01 * (W ** 2).mean()
    if k % 20 == 0:
        print(k, loss.item())
    # backward pass
    W.grad = None
    loss.backward()
    # update
    W.data += -50 * W.grad

@torch.no_grad()
def split_loss(x, y):
    logits = F.one_hot(x, num_classes=V).float() @ W
    return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()

tr_loss, tr_acc = split_loss(xs, ys)
dev_loss, dev_acc = split_loss(xdev, ydev)
te_loss, _ = split_loss(xte, yte)
print(f"neural bigram: train nll {tr_loss:.4f}, dev nll {dev_loss:.4f}, test nll {te_loss:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(dev_loss, 4), "train_loss": round(tr_loss, 4), "test_loss": round(te_loss, 4),
      "val_acc": round(dev_acc, 4), "count_bigram_val_loss": round(count_dev, 4), "bayes_val_loss": round(bayes_dev, 4), "uniform_loss": round(float(np.log(V)), 4),
      "chance_acc": round(1 / V, 4)}))
