# expect:
# allow:
# forbid: *
# evidence: after LM pretraining (final char LM loss 0.39), fine-tuning on 300 labeled titles reaches held-out val_acc 0.992 (chance 0.25), val_loss 0.222
"""Two-stage run: (1) pretrain a char-level LSTM LM on unlabeled 'product titles', (2) fine-tune
the pretrained encoder plus a fresh head on a small labeled set (category of the product) with
a low learning rate for the encoder and a higher one for the head."""
import json
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(13)
random.seed(13)

CATS = {
    "kitchen": ["pan", "kettle", "whisk", "toaster", "ladle"],
    "garden": ["hose", "rake", "shovel", "planter", "seeds"],
    "office": ["stapler", "binder", "marker", "notepad", "desk lamp"],
    "audio": ["speaker", "headphones", "microphone", "amplifier", "earbuds"],
}
BRANDS = ["acme", "nova", "zenith", "orbit", "pico"]
ADJS = ["deluxe", "compact", "pro", "mini", "classic", "eco"]


def title():
    cat = random.choice(list(CATS))
    t = f"{random.choice(BRANDS)} {random.choice(ADJS)} {random.choice(CATS[cat])} {random.randint(1, 9)}"
    return t, list(CATS).index(cat)


chars = sorted(set("abcdefghijklmnopqrstuvwxyz0123456789 "))
c2i = {c: i + 1 for i, c in enumerate(chars)}   # 0 = pad
V, L = len(chars) + 1, 32


def enc(strings):
    X = torch.zeros(len(strings), L, dtype=torch.long)
    for i, s in enumerate(strings):
        X[i, :len(s[:L])] = torch.tensor([c2i[c] for c in s[:L]])
    return X


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32, padding_idx=0)
        self.lstm = nn.LSTM(32, 96, batch_first=True)

    def forward(self, x):
        return self.lstm(self.emb(x))[0]


# ---- stage 1: language-model pretraining on unlabeled titles
encoder = Encoder()
lm_head = nn.Linear(96, V)
unlabeled = enc([title()[0] for _ in range(3000)])
opt = torch.optim.Adam(list(encoder.parameters()) + list(lm_head.parameters()), lr=4e-3)
for step in range(250):
    xb = unlabeled[torch.randint(0, len(unlabeled), (32,))]
    logits = lm_head(encoder(xb[:, :-1]))
    loss = F.cross_entropy(logits.reshape(-1, V), xb[:, 1:].reshape(-1), ignore_index=0)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(encoder.parameters(), 1.0)
    opt.step()
    if step % 50 == 0:
        print(f"pretrain step {step} lm_loss {loss.item():.4f}")
print(f"pretrain final lm_loss {loss.item():.4f}")

# ---- stage 2: fine-tuning on a small labeled set
lab_tr = [title() for _ in range(300)]
lab_va = [title() for _ in range(500)]
Xtr, ytr = enc([t for t, _ in lab_tr]), torch.tensor([c for _, c in lab_tr])
Xva, yva = enc([t for t, _ in lab_va]), torch.tensor([c for _, c in lab_va])


def pooled(x):
    h = encoder(x)
    m = (x != 0).unsqueeze(-1).float()
    return (h * m).sum(1) / m.sum(1)


clf = nn.Linear(96, len(CATS))
ft_opt = torch.optim.AdamW([{"params": encoder.parameters(), "lr": 3e-4},
                            {"params": clf.parameters(), "lr": 3e-3}], weight_decay=0.01)
for epoch in range(12):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(perm), 16):
        b = perm[i:i + 16]
        loss = F.cross_entropy(clf(pooled(Xtr[b])), ytr[b])
        ft_opt.zero_grad()
        loss.backward()
        ft_opt.step()
    with torch.no_grad():
        lv = clf(pooled(Xva))
        vloss = F.cross_entropy(lv, yva).item()
        vacc = (lv.argmax(1) == yva).float().mean().item()
        tloss = F.cross_entropy(clf(pooled(Xtr)), ytr).item()
    if epoch % 3 == 2:
        print(f"finetune epoch {epoch + 1}: train_loss {tloss:.4f} val_loss {vloss:.4f} val_acc {vacc:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(tloss, 4), "chance_acc": 0.25}))
