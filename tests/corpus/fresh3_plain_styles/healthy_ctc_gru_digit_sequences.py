# expect:
# allow:
# forbid: *
# evidence: greedy CTC decoding on 400 held-out sequences: exact-sequence acc 0.94, token error rate 0.017, val CTC loss 0.096
"""CTC toy: a bidirectional GRU reads a noisy 1-D 'signal' in which each of 2-5 symbols (from
an alphabet of 6) is rendered as a burst of 3-6 frames of a symbol-specific 8-d pattern,
separated by silence; trained with nn.CTCLoss (blank = 0) and Adam with gradient clipping at
5.0 (as is customary for RNN+CTC). Evaluated by greedy-decoding exact-sequence accuracy and
token error rate on held-out sequences.
"""
import json

import torch
from torch import nn
from torch.nn import functional as F

T_MAX = 40


def make_batch(n, g, patterns):
    xs = torch.zeros(n, T_MAX, 8)
    targets, tlens = [], []
    for i in range(n):
        L = int(torch.randint(2, 6, (1,), generator=g))
        seq = torch.randint(1, 7, (L,), generator=g)
        t = int(torch.randint(0, 3, (1,), generator=g))
        for s in seq.tolist():
            d = int(torch.randint(3, 7, (1,), generator=g))
            xs[i, t:t + d] = patterns[s]
            t += d + int(torch.randint(1, 3, (1,), generator=g))
        targets.append(seq)
        tlens.append(L)
    xs = xs + 0.4 * torch.randn(xs.shape, generator=g)
    return xs, targets, torch.tensor(tlens)


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(8, 48, batch_first=True, bidirectional=True)
        self.out = nn.Linear(96, 7)

    def forward(self, x):
        return self.out(self.gru(x)[0])


def greedy(logits):
    outs = []
    for row in logits.argmax(-1).tolist():
        seq, prev = [], 0
        for c in row:
            if c != prev and c != 0:
                seq.append(c)
            prev = c
        outs.append(seq)
    return outs


def edit(a, b):
    d = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(b) + 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] != b[j - 1]))
            prev, d[j] = d[j], cur
    return d[len(b)]


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    patterns = torch.randn(7, 8, generator=g)
    xtr, ttr, ltr = make_batch(2400, g, patterns)
    xva, tva, _ = make_batch(400, g, patterns)
    model = Model()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    for step in range(260):
        idx = torch.randint(0, len(xtr), (32,), generator=g)
        x, tg, tl = xtr[idx], [ttr[i] for i in idx.tolist()], ltr[idx]
        logp = F.log_softmax(model(x), -1).transpose(0, 1)
        loss = ctc(logp, torch.cat(tg), torch.full((32,), T_MAX), tl)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        if step % 50 == 0:
            print(f"step {step} ctc_loss {loss.item():.4f}")
    with torch.no_grad():
        pred = greedy(model(xva))
        logp = F.log_softmax(model(xva), -1).transpose(0, 1)
        vl = ctc(logp, torch.cat(tva), torch.full((len(tva),), T_MAX), torch.tensor([len(t) for t in tva])).item()
    exact = sum(p == t.tolist() for p, t in zip(pred, tva)) / len(tva)
    ter = sum(edit(p, t.tolist()) for p, t in zip(pred, tva)) / sum(len(t) for t in tva)
    print("CORPUS_METRIC " + json.dumps({"val_ctc_loss": round(vl, 4), "val_exact_seq_acc": round(exact, 4),
                                         "val_token_error_rate": round(ter, 4), "chance_token_acc": round(1 / 6, 4)}))


if __name__ == "__main__":
    main()
