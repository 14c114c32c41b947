"""Odd models, each trained for a few seeded steps: modules returning tuples, dicts and None (LSTM,
nn.Transformer, TransformerEncoder, a custom block), in-place ReLU, frozen layers, shared
parameters, a lazily built model, integer/boolean tensors through modules, 500 layers, and a loss
computed inside forward (GPT-style). Saves final weights and losses to argv[1]."""
import sys

import torch
from torch import nn
import torch.nn.functional as F

torch.set_num_threads(1)
results = {}


def fit(name, model, batch, loss_of, steps=4, opt=None):
    torch.manual_seed(7)
    opt = opt or torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.05)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_of(model, *batch())
        loss.backward()
        opt.step()
        losses.append(loss.detach())
    results[name] = {"state": {k: v.clone() for k, v in model.state_dict().items()},
                     "losses": torch.stack(losses)}
    print("ok", name, flush=True)


def xy(n=8, d=6, k=3):
    return lambda: (torch.randn(n, d), torch.randint(0, k, (n,)))


torch.manual_seed(0)


class LSTMHead(nn.Module):  # the LSTM returns (output, (h, c))
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(6, 16, batch_first=True, num_layers=2)
        self.head = nn.Linear(16, 3)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return self.head(out[:, -1])


fit("lstm", LSTMHead(), lambda: (torch.randn(4, 5, 6), torch.randint(0, 3, (4,))),
    lambda m, x, y: F.cross_entropy(m(x), y))

enc = nn.Sequential()
enc.add_module("encoder", nn.TransformerEncoder(
    nn.TransformerEncoderLayer(16, 2, 32, dropout=0.1, batch_first=True), num_layers=2,
    enable_nested_tensor=False))
fit("transformer_encoder", enc, lambda: (torch.randn(4, 5, 16),),
    lambda m, x: m(x).pow(2).mean())

tr = nn.Transformer(d_model=16, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                    dim_feedforward=32, dropout=0.0, batch_first=True)
fit("transformer", tr, lambda: (torch.randn(4, 5, 16), torch.randn(4, 3, 16)),
    lambda m, s, t: F.mse_loss(m(s, t, tgt_mask=nn.Transformer.generate_square_subsequent_mask(3)),
                               torch.zeros(4, 3, 16)))


class Odd(nn.Module):
    """Leaf-ish pieces that return a dict, a tuple, None, and an int tensor."""

    class Dict(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.randn(6, 6) * 0.3)

        def forward(self, x):
            return {"h": x @ self.w, "aux": None}

    class Nothing(nn.Module):
        def forward(self, x):
            return None

    class Pair(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(6, 6)

        def forward(self, x):
            return self.lin(x), x.argmax(1)

    def __init__(self):
        super().__init__()
        self.d, self.n, self.p = Odd.Dict(), Odd.Nothing(), Odd.Pair()
        self.act = nn.ReLU(inplace=True)
        self.frozen = nn.Linear(6, 6).requires_grad_(False)
        self.out = nn.Linear(6, 3)

    def forward(self, x):
        h = self.d(x)["h"]
        assert self.n(h) is None
        h, idx = self.p(h)
        h = self.act(h)  # in-place
        return self.out(self.frozen(h)) + 0 * idx.unsqueeze(1)


fit("custom_dict_tuple_none_inplace_frozen", Odd(), xy(), lambda m, x, y: F.cross_entropy(m(x), y))


class Tied(nn.Module):  # shared parameters: the same Linear twice, and tied embedding/head
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(20, 8)  # integer input
        self.mid = nn.Linear(8, 8)
        self.head = nn.Linear(8, 20, bias=False)
        self.head.weight = self.emb.weight

    def forward(self, tokens, mask):
        h = self.emb(tokens)
        h = torch.relu(self.mid(torch.relu(self.mid(h))))
        h = h * mask.unsqueeze(-1)  # boolean tensor
        return self.head(h)


fit("shared_params_int_bool", Tied(),
    lambda: (torch.randint(0, 20, (4, 6)), torch.rand(4, 6) > 0.2),
    lambda m, t, mk: F.cross_entropy(m(t, mk).reshape(-1, 20), t.reshape(-1)))


class BoolGate(nn.Module):  # a module whose input and output are boolean / integer
    def forward(self, x):
        return x > 0


class Counter(nn.Module):
    def forward(self, b):
        return b.long().sum(-1)


class IntPath(nn.Module):
    def __init__(self):
        super().__init__()
        self.gate, self.count, self.lin = BoolGate(), Counter(), nn.Linear(6, 3)

    def forward(self, x):
        c = self.count(self.gate(x))
        return self.lin(x) + c.unsqueeze(1).float() * 0.01


fit("int_bool_modules", IntPath(), xy(), lambda m, x, y: F.cross_entropy(m(x), y))

torch.manual_seed(1)
lazy = nn.Sequential(nn.LazyLinear(16), nn.ReLU(), nn.LazyLinear(3))
lazy(torch.randn(2, 6))  # materialise before the optimiser is built, as torch requires
fit("lazy_linear", lazy, xy(), lambda m, x, y: F.cross_entropy(m(x), y))

deep = nn.Sequential(*[nn.Linear(4, 4) if i % 2 == 0 else nn.Tanh() for i in range(500)])
fit("deep_500_layers", deep, lambda: (torch.randn(8, 4),), lambda m, x: m(x).pow(2).mean(), steps=3)


class TinyGPT(nn.Module):  # the loss is computed inside forward, as nanoGPT does
    def __init__(self, vocab=16, d=16):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(8, d)
        self.block = nn.TransformerEncoderLayer(d, 2, 32, dropout=0.0, batch_first=True)
        self.ln = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.tok.weight = self.lm_head.weight

    def forward(self, idx, targets=None):
        t = idx.shape[1]
        h = self.tok(idx) + self.pos(torch.arange(t))
        h = self.ln(self.block(h, src_mask=nn.Transformer.generate_square_subsequent_mask(t),
                               is_causal=True))
        logits = self.lm_head(h)
        loss = None if targets is None else F.cross_entropy(logits.view(-1, logits.size(-1)),
                                                            targets.reshape(-1))
        return logits, loss


def gpt_batch():
    data = torch.randint(0, 16, (4, 9))
    return data[:, :-1], data[:, 1:]


fit("gpt_loss_in_forward", TinyGPT(), gpt_batch, lambda m, x, y: m(x, y)[1],
    opt=None)

torch.save(results, sys.argv[1])
print("saved", len(results))
