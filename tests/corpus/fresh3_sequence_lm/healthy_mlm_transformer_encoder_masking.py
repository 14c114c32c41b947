# expect:
# allow:
# forbid: *
# evidence: held-out masked-token acc 0.84 (chance 0.05), val MLM loss 0.77 vs train 0.72
"""BERT-style masked-LM pre-training with nn.TransformerEncoder (pre-norm, GELU, dropout 0.1):
15% of positions are selected, 80% of them replaced by [MASK], 10% by a random token, 10% kept;
the loss is computed only on selected positions (labels -100 elsewhere). Each sequence is a
random 10-token phrase repeated twice (3% noise tokens), so a masked token is predictable from
its twin, which can lie on either side of it. AdamW (no decay on LayerNorm/bias), warm-up +
linear decay. Because only 15% of tokens carry loss and 10% of inputs are corrupted, the
per-batch loss is noisy. Held-out masked-token accuracy vs chance.
"""
import json
import math

import torch
from torch import nn
from torch.nn import functional as F

torch.set_num_threads(1)
torch.manual_seed(14)
g = torch.Generator().manual_seed(14)
P, HALF, D = 20, 10, 64         # tokens 0..19 are values, 20 = [MASK], 21 = [CLS]
T = 2 * HALF + 1
MASK, CLS, VOCAB = P, P + 1, P + 2


def make(n):
    half = torch.randint(0, P, (n, HALF), generator=g)
    x = torch.cat([half, half], 1)  # each sequence is a random phrase said twice
    noise = torch.rand(n, T - 1, generator=g) < 0.03
    x = torch.where(noise, torch.randint(0, P, x.shape, generator=g), x)
    return torch.cat([torch.full((n, 1), CLS), x], 1)


def mask_tokens(x, gen):
    labels = x.clone()
    sel = (torch.rand(x.shape, generator=gen) < 0.15) & (x != CLS)
    labels[~sel] = -100
    r = torch.rand(x.shape, generator=gen)
    inp = x.clone()
    inp[sel & (r < 0.8)] = MASK
    rnd = sel & (r >= 0.8) & (r < 0.9)
    inp[rnd] = torch.randint(0, P, (int(rnd.sum()),), generator=gen)
    return inp, labels


train, val = make(8000), make(1000)


class MLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, D)
        self.pos = nn.Embedding(T, D)
        layer = nn.TransformerEncoderLayer(D, 4, 128, dropout=0.1, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(D)
        self.head = nn.Linear(D, VOCAB)

    def forward(self, x):
        return self.head(self.norm(self.enc(self.tok(x) + self.pos(torch.arange(x.size(1))))))


model = MLM()
decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=2e-3)
STEPS, WARM, BS = 300, 30, 64
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / WARM, (STEPS - s) / (STEPS - WARM)))
for step in range(STEPS):
    ix = torch.randint(0, len(train), (BS,), generator=g)
    inp, lab = mask_tokens(train[ix], g)
    loss = F.cross_entropy(model(inp).reshape(-1, VOCAB), lab.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    if step % 50 == 0:
        print(f"step {step} mlm_loss {loss.item():.4f} lr {sched.get_last_lr()[0]:.2e}")

model.eval()
vg = torch.Generator().manual_seed(99)
with torch.no_grad():
    res = {}
    for name, data in (("val", val), ("train", train[:1000])):
        inp, lab = mask_tokens(data, vg)
        lg = model(inp)
        m = lab != -100
        res[name] = (F.cross_entropy(lg[m], lab[m]).item(), (lg[m].argmax(-1) == lab[m]).float().mean().item())
print("CORPUS_METRIC " + json.dumps({
    "val_mlm_loss": round(res["val"][0], 4), "val_masked_acc": round(res["val"][1], 4),
    "train_mlm_loss": round(res["train"][0], 4), "chance_acc": round(1 / P, 4)}))
