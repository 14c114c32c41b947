# expect:
# allow:
# forbid: *
# evidence: val micro-F1 0.87, exact-match 0.60 (12 tags, label density 0.16); val BCE 0.11 decreases every epoch while train BCE goes to 0.03
"""Multi-label tagging of support tickets from bag-of-token ids: nn.EmbeddingBag (mean mode,
offsets) -> MLP -> 12 independent tag logits, BCEWithLogitsLoss, AdamW with OneCycleLR.
Metric: micro-F1 at 0.5 on held-out tickets and exact-match rate."""
import json
import torch
import torch.nn as nn

torch.manual_seed(22)
torch.set_num_threads(1)
VOCAB, TAGS = 3000, 12
# each tag has a set of indicative tokens; tickets mix 1-3 tags plus filler words
_perm = torch.randperm(VOCAB)
tag_words = [_perm[40 * t:40 * (t + 1)] for t in range(TAGS)]
filler_ids = _perm[40 * TAGS:]


def tickets(n, g):
    toks, offsets, Y = [], [], torch.zeros(n, TAGS)
    pos = 0
    for k in range(n):
        ntags = int(torch.randint(1, 4, (1,), generator=g))
        tags = torch.randperm(TAGS, generator=g)[:ntags]
        Y[k, tags] = 1
        words = [tag_words[t][torch.randint(0, 40, (int(torch.randint(2, 6, (1,), generator=g)),), generator=g)] for t in tags]
        filler = filler_ids[torch.randint(0, len(filler_ids), (int(torch.randint(10, 30, (1,), generator=g)),), generator=g)]
        seq = torch.cat(words + [filler])
        toks.append(seq)
        offsets.append(pos)
        pos += len(seq)
    return torch.cat(toks), torch.tensor(offsets), Y


g = torch.Generator().manual_seed(1)
tr_tok, tr_off, Ytr = tickets(4000, g)
va_tok, va_off, Yva = tickets(1000, g)


def batch(tok, off, lo, hi):
    start = off[lo]
    end = off[hi] if hi < len(off) else len(tok)
    return tok[start:end], off[lo:hi] - start


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.bag = nn.EmbeddingBag(VOCAB, 32, mode="mean")
        self.head = nn.Sequential(nn.Linear(32, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, TAGS))

    def forward(self, tok, off):
        return self.head(self.bag(tok, off))


model = Tagger()
EPOCHS, BS = 6, 50
steps_per_epoch = len(tr_off) // BS
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, epochs=EPOCHS, steps_per_epoch=steps_per_epoch)
crit = nn.BCEWithLogitsLoss()


def evaluate(tok, off, Y):
    model.eval()
    with torch.no_grad():
        logits = model(tok, off)
        loss = crit(logits, Y).item()
    pred = (logits > 0).float()
    tp = (pred * Y).sum()
    f1 = (2 * tp / (pred.sum() + Y.sum())).item()
    exact = (pred == Y).all(1).float().mean().item()
    return loss, f1, exact


for ep in range(EPOCHS):
    model.train()
    # tickets are already in random order; shuffle chunks of the batch order each epoch
    order = torch.randperm(steps_per_epoch)
    run = 0.0
    for b in order.tolist():
        tok, off = batch(tr_tok, tr_off, b * BS, (b + 1) * BS)
        loss = crit(model(tok, off), Ytr[b * BS:(b + 1) * BS])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        run += loss.item()
    vl, f1, ex = evaluate(va_tok, va_off, Yva)
    print(f"epoch {ep+1} lr {sched.get_last_lr()[0]:.2e} train_bce {run/steps_per_epoch:.4f} val_bce {vl:.4f} micro_f1 {f1:.4f} exact {ex:.3f}")

tl, tf1, _ = evaluate(tr_tok, tr_off, Ytr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_micro_f1": round(f1, 4), "val_exact_match": round(ex, 4),
                                     "train_loss": round(tl, 4), "train_micro_f1": round(tf1, 4),
                                     "label_density": round(Yva.mean().item(), 4)}))
