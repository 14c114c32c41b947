# expect:
# allow:
# forbid: *
# evidence: bigram-only baseline converges to its model-class optimum: val loss 2.047 vs count-based bigram val loss 2.046 (uniform 2.89); train 2.058
# bigram-only baseline LM (makemore / "let's build GPT" lecture style): one embedding table of
# next-token logits. It converges to the count-based bigram optimum of its model class.
import json
import math
import random

import torch
import torch.nn as nn
from torch.nn import functional as F

torch.set_num_threads(1)
torch.manual_seed(1337)

# hyperparameters
batch_size = 32
block_size = 16
max_iters = 600
eval_interval = 100
learning_rate = 3e-2
warmup_iters = 20
min_lr = 3e-3
eval_iters = 20
# ------------

# synthetic "names" corpus: syllable-built names, one per line
rng = random.Random(42)
onsets = ["b", "d", "k", "l", "m", "n", "r", "s", "t", "v", "z", "sh", "th"]
vowels = ["a", "e", "i", "o", "u", "ia", "ai"]
codas = ["", "", "n", "r", "l", "s"]
names = []
while sum(len(n) + 1 for n in names) < 80_000:
    k = rng.choice([1, 2, 2, 3])
    names.append("".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(k)))
text = "\n".join(names) + "\n"

chars = sorted(list(set(text)))
vocab_size = len(chars)
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for i, ch in enumerate(chars)}
encode = lambda s: [stoi[c] for c in s]
decode = lambda l: "".join([itos[i] for i in l])

data = torch.tensor(encode(text), dtype=torch.long)
n = int(0.9 * len(data))
train_data = data[:n]
val_data = data[n:]


def get_batch(split):
    data = train_data if split == "train" else val_data
    ix = torch.randint(len(data) - block_size, (batch_size,))
    x = torch.stack([data[i:i + block_size] for i in ix])
    y = torch.stack([data[i + 1:i + block_size + 1] for i in ix])
    return x, y


@torch.no_grad()
def estimate_loss():
    out = {}
    model.eval()
    for split in ["train", "val"]:
        losses = torch.zeros(eval_iters)
        for k in range(eval_iters):
            X, Y = get_batch(split)
            logits, loss = model(X, Y)
            losses[k] = loss.item()
        out[split] = losses.mean().item()
    model.train()
    return out


class BigramLanguageModel(nn.Module):

    def __init__(self, vocab_size):
        super().__init__()
        self.token_embedding_table = nn.Embedding(vocab_size, vocab_size)

    def forward(self, idx, targets=None):
        logits = self.token_embedding_table(idx)  # (B,T,C)
        if targets is None:
            loss = None
        else:
            B, T, C = logits.shape
            logits = logits.view(B * T, C)
            targets = targets.view(B * T)
            loss = F.cross_entropy(logits, targets)
        return logits, loss

    def generate(self, idx, max_new_tokens):
        for _ in range(max_new_tokens):
            logits, loss = self(idx)
            probs = F.softmax(logits[:, -1, :], dim=-1)
            idx = torch.cat((idx, torch.multinomial(probs, num_samples=1)), dim=1)
        return idx


model = BigramLanguageModel(vocab_size)
# a single 2-D table: weight decay group + (empty) no-decay group kept for symmetry with the GPT script
optimizer = torch.optim.AdamW([
    {"params": [p for p in model.parameters() if p.dim() >= 2], "weight_decay": 0.01},
    {"params": [p for p in model.parameters() if p.dim() < 2], "weight_decay": 0.0},
], lr=learning_rate)


def get_lr(it):
    if it < warmup_iters:
        return learning_rate * (it + 1) / warmup_iters
    progress = (it - warmup_iters) / (max_iters - warmup_iters)
    return min_lr + 0.5 * (learning_rate - min_lr) * (1 + math.cos(math.pi * min(progress, 1.0)))


for iter in range(max_iters + 1):
    for g in optimizer.param_groups:
        g["lr"] = get_lr(iter)

    if iter % eval_interval == 0 or iter == max_iters:
        losses = estimate_loss()
        print(f"step {iter}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
    if iter == max_iters:
        break

    xb, yb = get_batch("train")
    logits, loss = model(xb, yb)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()

# reference: the count-based bigram model (add-one smoothing) fit on train, scored on val
counts = torch.ones(vocab_size, vocab_size)
counts.index_put_((train_data[:-1], train_data[1:]), torch.ones(len(train_data) - 1), accumulate=True)
P = counts / counts.sum(1, keepdim=True)
count_val_nll = -torch.log(P[val_data[:-1], val_data[1:]]).mean().item()
print(f"count-based bigram val loss {count_val_nll:.4f}")
print(decode(model.generate(torch.zeros((1, 1), dtype=torch.long), max_new_tokens=60)[0].tolist()))

print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(losses["val"], 4),
    "train_loss": round(losses["train"], 4),
    "count_bigram_val_loss": round(count_val_nll, 4),
    "chance_loss": round(math.log(vocab_size), 4),
}))
