# expect:
# allow:
# forbid: *
# evidence: nn.Transformer enc-dec, teacher forcing, causal + key-padding masks, label smoothing 0.1, AdamW + warm-up/cosine, clipping; held-out teacher-forced token acc 0.911 (val_loss 0.337, train_loss 0.320; chance 0.083) on the shift-cipher task
"""Toy seq2seq: transliterate a variable-length digit string (each symbol + 3 mod NSYM).

nn.Transformer encoder-decoder, teacher forcing, causal mask on the decoder,
key-padding masks on both sides. AdamW + linear warm-up + cosine decay, label smoothing.
"""
import math, json, random, warnings
warnings.filterwarnings("ignore")
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0); random.seed(0)
torch.set_num_threads(1)

PAD, BOS, EOS = 0, 1, 2
NSYM = 12
V = NSYM + 3
MAXLEN = 10


def make_pair():
    n = random.randint(3, MAXLEN)
    src = [random.randrange(NSYM) for _ in range(n)]
    tgt = [(s + 3) % NSYM for s in src]
    return [t + 3 for t in src], [t + 3 for t in tgt]


def batchify(pairs):
    S = max(len(s) for s, _ in pairs)
    T = max(len(t) for _, t in pairs) + 2
    src = torch.full((len(pairs), S), PAD, dtype=torch.long)
    tgt = torch.full((len(pairs), T), PAD, dtype=torch.long)
    for i, (s, t) in enumerate(pairs):
        src[i, :len(s)] = torch.tensor(s)
        seq = [BOS] + t + [EOS]
        tgt[i, :len(seq)] = torch.tensor(seq)
    return src, tgt


class Seq2Seq(nn.Module):
    def __init__(self, d=48, heads=4, layers=1, ff=96, drop=0.1):
        super().__init__()
        self.d = d
        self.src_emb = nn.Embedding(V, d, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(V, d, padding_idx=PAD)
        pe = torch.zeros(32, d)
        pos = torch.arange(32).unsqueeze(1)
        div = torch.exp(torch.arange(0, d, 2) * (-math.log(10000.0) / d))
        pe[:, 0::2] = torch.sin(pos * div); pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pos", pe.unsqueeze(0))
        self.tf = nn.Transformer(d_model=d, nhead=heads, num_encoder_layers=layers,
                                 num_decoder_layers=layers, dim_feedforward=ff,
                                 dropout=drop, batch_first=True)
        self.out = nn.Linear(d, V)

    def forward(self, src, tgt_in):
        s = self.src_emb(src) + self.pos[:, :src.size(1)]
        t = self.tgt_emb(tgt_in) + self.pos[:, :tgt_in.size(1)]
        causal = torch.triu(torch.ones(tgt_in.size(1), tgt_in.size(1), dtype=torch.bool), 1)
        h = self.tf(s, t, tgt_mask=causal,
                    src_key_padding_mask=(src == PAD),
                    tgt_key_padding_mask=(tgt_in == PAD),
                    memory_key_padding_mask=(src == PAD))
        return self.out(h)


train_pairs = [make_pair() for _ in range(3500)]
val_pairs = [make_pair() for _ in range(500)]
model = Seq2Seq()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01, betas=(0.9, 0.98))
EPOCHS, BS = 4, 64
steps_per_epoch = len(train_pairs) // BS
total = EPOCHS * steps_per_epoch
warm = 40
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))
crit = nn.CrossEntropyLoss(ignore_index=PAD, label_smoothing=0.1)


@torch.no_grad()
def evaluate(pairs):
    model.eval()
    src, tgt = batchify(pairs)
    logits = model(src, tgt[:, :-1])
    gold = tgt[:, 1:]
    loss = F.cross_entropy(logits.reshape(-1, V), gold.reshape(-1), ignore_index=PAD).item()
    m = gold != PAD
    acc = ((logits.argmax(-1) == gold) & m).sum().item() / m.sum().item()
    model.train()
    return loss, acc


step = 0
for ep in range(EPOCHS):
    random.shuffle(train_pairs)
    run = 0.0
    for i in range(steps_per_epoch):
        src, tgt = batchify(train_pairs[i * BS:(i + 1) * BS])
        logits = model(src, tgt[:, :-1])
        loss = crit(logits.reshape(-1, V), tgt[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step(); sched.step(); step += 1
        run += loss.item()
    vl, va = evaluate(val_pairs)
    print(f"epoch {ep+1} train_loss {run/steps_per_epoch:.4f} val_loss {vl:.4f} val_tok_acc {va:.4f} lr {sched.get_last_lr()[0]:.2e}")

tl, ta = evaluate(train_pairs[:500])
vl, va = evaluate(val_pairs)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": round(1 / NSYM, 4)}))
