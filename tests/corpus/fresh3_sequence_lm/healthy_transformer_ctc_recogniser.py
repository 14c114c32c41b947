# expect:
# allow:
# forbid: *
# evidence: greedy CTC decoding on 300 held-out utterances: CER 0.035, exact-string acc 0.84; val CTC loss 0.13 vs train 0.08
"""Frame-level CTC recogniser built on nn.TransformerEncoder (no subsampling, padding masks,
sinusoidal positions) for synthetic 'spoken digit strings': each digit is rendered as 2-5 noisy
frames of a digit-specific feature pattern with optional silence frames. Labels are 3-7
digits; repeated digits are allowed, and a repeat spoken without a pause is intrinsically
ambiguous, so the CER cannot reach exactly 0. Adam with warm-up then cosine decay, nn.CTCLoss(zero_infinity=True) as a safety net.
Evaluated by greedy CTC decoding: character error rate and exact-string accuracy on held-out
utterances.
"""
import json
import math

import torch
from torch import nn
from torch.nn import functional as F

torch.set_num_threads(1)
torch.manual_seed(21)
g = torch.Generator().manual_seed(21)
NDIG, FEAT, BLANK = 10, 20, 0        # labels 1..10, 0 = blank
protos = torch.randn(NDIG + 1, FEAT, generator=g)


def utterance():
    L = int(torch.randint(3, 8, (1,), generator=g))
    lab = torch.randint(1, NDIG + 1, (L,), generator=g)
    frames = []
    for s in lab.tolist():
        frames += [protos[s] * (0.8 + 0.4 * torch.rand(1, generator=g))] * int(torch.randint(2, 6, (1,), generator=g))
        frames += [protos[0]] * int(torch.randint(0, 3, (1,), generator=g))  # silence / none
    x = torch.stack(frames) + 0.6 * torch.randn(len(frames), FEAT, generator=g)
    return x, lab


train = [utterance() for _ in range(2000)]
val = [utterance() for _ in range(300)]


def collate(items):
    xs = nn.utils.rnn.pad_sequence([x for x, _ in items], batch_first=True)
    return xs, torch.cat([y for _, y in items]), torch.tensor([len(x) for x, _ in items]), torch.tensor([len(y) for _, y in items])


def sinusoid(T, D):
    pos = torch.arange(T).float()[:, None]
    div = torch.exp(torch.arange(0, D, 2).float() * (-math.log(10000.0) / D))
    pe = torch.zeros(T, D)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
    return pe


class CTCTransformer(nn.Module):
    def __init__(self, D=64):
        super().__init__()
        self.inp = nn.Linear(FEAT, D)
        self.register_buffer("pe", sinusoid(128, D))
        layer = nn.TransformerEncoderLayer(D, 4, 128, dropout=0.1, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.out = nn.Linear(D, NDIG + 1)

    def forward(self, x, xl):
        pad = torch.arange(x.size(1))[None] >= xl[:, None]
        h = self.enc(self.inp(x) + self.pe[: x.size(1)], src_key_padding_mask=pad)
        return self.out(h).log_softmax(-1)


def greedy(lp, xl):
    res = []
    for seq, n in zip(lp.argmax(-1), xl):
        prev, o = None, []
        for s in seq[:n].tolist():
            if s != prev and s != BLANK:
                o.append(s)
            prev = s
        res.append(o)
    return res


def edit(a, b):
    d = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(b) + 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] != b[j - 1]))
    return d[len(b)]


model = CTCTransformer()
ctc = nn.CTCLoss(blank=BLANK, zero_infinity=True)
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
STEPS, WARM = 300, 30
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / WARM if s < WARM else 0.5 * (1 + math.cos(math.pi * (s - WARM) / (STEPS - WARM))))
for step in range(STEPS):
    idx = torch.randint(0, len(train), (32,), generator=g).tolist()
    xs, ys, xl, yl = collate([train[i] for i in idx])
    loss = ctc(model(xs, xl).transpose(0, 1), ys, xl, yl)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if step % 25 == 0:
        print(f"step {step} ctc_loss {loss.item():.4f}")

model.eval()
with torch.no_grad():
    res = {}
    for name, data in (("val", val), ("train", train[:300])):
        xs, ys, xl, yl = collate(data)
        lp = model(xs, xl)
        l = nn.CTCLoss(blank=BLANK)(lp.transpose(0, 1), ys, xl, yl).item()
        hyps, refs = greedy(lp, xl), [y.tolist() for _, y in data]
        cer = sum(edit(h, r) for h, r in zip(hyps, refs)) / sum(len(r) for r in refs)
        res[name] = (l, cer, sum(h == r for h, r in zip(hyps, refs)) / len(refs))
print("CORPUS_METRIC " + json.dumps({
    "val_ctc_loss": round(res["val"][0], 4), "val_cer": round(res["val"][1], 4), "val_exact_acc": round(res["val"][2], 4),
    "train_ctc_loss": round(res["train"][0], 4), "train_cer": round(res["train"][1], 4)}))
