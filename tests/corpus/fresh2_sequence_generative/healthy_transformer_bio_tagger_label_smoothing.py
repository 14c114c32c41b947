# expect:
# allow:
# forbid: *
# evidence: val token acc 0.998 (majority tag 0.534), accuracy on the context-dependent ambiguous words 0.983, val CE 0.068; the logged training loss plateaus at ~0.30 only because of label_smoothing=0.1 (un-smoothed train CE 0.066)
"""BIO chunk tagger with a small pre-LN TransformerEncoder.  Sentences come from a toy grammar:
chunks DET ADJ* NOUN (tagged B I* I) between outside words (O).  Some words are ambiguous (adjective
right after a determiner, outside word after a noun or another outside word), so the tagger must use context.  Padded batches with
src_key_padding_mask, per-token cross-entropy with ignore_index=-100 and label_smoothing=0.1,
AdamW with linear warm-up then linear decay.  Metrics written by hand to a CSV in $CORPUS_LOG_DIR."""
import json
import os
import random
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(1)

PAD, IGNORE = 0, -100
DET, ADJ, NOUN, OTHER, AMBIG = range(1, 5), range(5, 15), range(15, 30), range(30, 45), range(45, 50)
VOCAB = 50
TAG_O, TAG_B, TAG_I = 0, 1, 2
STEPS, WARMUP, PEAK_LR, BATCH = 400, 40, 2e-3, 32


def sentence(rng):
    toks, tags = [], []
    while len(toks) < rng.randint(8, 26):
        if rng.random() < 0.45:
            toks.append(rng.choice(DET)); tags.append(TAG_B)
            for k in range(rng.randint(0, 3)):
                toks.append(rng.choice(AMBIG) if k == 0 and rng.random() < 0.4 else rng.choice(ADJ)); tags.append(TAG_I)
            toks.append(rng.choice(NOUN)); tags.append(TAG_I)
        else:
            after_word = bool(toks) and toks[-1] not in AMBIG
            toks.append(rng.choice(AMBIG) if after_word and rng.random() < 0.3 else rng.choice(OTHER)); tags.append(TAG_O)
    return toks[:30], tags[:30]


def collate(pairs):
    T = max(len(t) for t, _ in pairs)
    tok = torch.full((len(pairs), T), PAD)
    tag = torch.full((len(pairs), T), IGNORE)
    for i, (t, g) in enumerate(pairs):
        tok[i, :len(t)] = torch.tensor(t)
        tag[i, :len(g)] = torch.tensor(g)
    return tok, tag, tok != PAD


rng = random.Random(0)
train_set = [sentence(rng) for _ in range(3000)]
val_set = [sentence(rng) for _ in range(500)]
val_tok, val_tag, val_mask = collate(val_set)


class Tagger(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(32, d))  # learned absolute positions
        layer = nn.TransformerEncoderLayer(d, 4, 2 * d, dropout=0.1, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        self.cls = nn.Linear(d, 3)

    def forward(self, tok, mask):
        h = self.emb(tok) + self.pos[:tok.shape[1]]
        return self.cls(self.norm(self.enc(h, src_key_padding_mask=~mask)))


model = Tagger()
opt = torch.optim.AdamW(model.parameters(), lr=PEAK_LR, weight_decay=0.01)
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / WARMUP if s < WARMUP else max(0.05, (STEPS - s) / (STEPS - WARMUP)))


def evaluate(tok, tag, mask):
    model.eval()
    with torch.no_grad():
        logits = model(tok, mask)
        loss = F.cross_entropy(logits.reshape(-1, 3), tag.reshape(-1), ignore_index=IGNORE).item()
        pred = logits.argmax(-1)
        acc = ((pred == tag) & mask).sum().item() / mask.sum().item()
        amb = mask & (tok >= AMBIG.start)
        amb_acc = ((pred == tag) & amb).sum().item() / amb.sum().item()
    model.train()
    return loss, acc, amb_acc


log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
fh = open(os.path.join(log_dir, "tagger_metrics.csv"), "w")
fh.write("step,lr,train_loss,val_loss,val_acc,val_ambiguous_acc\n")

order = list(range(len(train_set)))
pos = len(order)
for step in range(STEPS):
    if pos + BATCH > len(order):
        rng.shuffle(order)
        pos = 0
    tok, tag, mask = collate([train_set[i] for i in order[pos:pos + BATCH]])
    pos += BATCH
    logits = model(tok, mask)
    loss = F.cross_entropy(logits.reshape(-1, 3), tag.reshape(-1), ignore_index=IGNORE, label_smoothing=0.1)
    opt.zero_grad()
    loss.backward()
    opt.step()
    lr = sched.get_last_lr()[0]
    sched.step()
    if step % 50 == 0 or step == STEPS - 1:
        vl, va, vamb = evaluate(val_tok, val_tag, val_mask)
        fh.write(f"{step},{lr:.6f},{loss.item():.5f},{vl:.5f},{va:.5f},{vamb:.5f}\n")
        print(f"step {step:3d} lr {lr:.2e} train {loss.item():.4f} val {vl:.4f} acc {va:.4f} ambiguous {vamb:.4f}")
fh.close()

vl, va, vamb = evaluate(val_tok, val_tag, val_mask)
tl, ta, _ = evaluate(*collate(train_set[:500]))
counts = torch.bincount(val_tag[val_mask], minlength=3).float()
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vl, 4), "val_acc": round(va, 4), "val_ambiguous_acc": round(vamb, 4),
    "train_loss": round(tl, 4), "train_acc": round(ta, 4),
    "majority_acc": round((counts.max() / counts.sum()).item(), 4)}))
