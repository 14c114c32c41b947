# expect:
# allow:
# forbid: *
# evidence: best held-out val_acc 0.9875 over 6 intents (chance 0.167), val_loss 0.134; early stopping after 3 epochs without improvement
"""Bi-GRU intent classifier for generated smart-home commands (6 intents), with noisy small
batches, label smoothing, weight decay, dropout, and early stopping on validation accuracy."""
import copy
import json
import random

import torch
import torch.nn as nn

random.seed(0)
torch.manual_seed(0)
torch.set_num_threads(1)

INTENTS = {
    "lights_on": ["turn on the {r} lights", "switch the {r} light on", "lights on in the {r}"],
    "lights_off": ["turn off the {r} lights", "switch the {r} light off", "kill the lights in the {r}"],
    "temp_up": ["make the {r} warmer", "raise the heating in the {r}", "it is cold in the {r}"],
    "temp_down": ["make the {r} cooler", "lower the heating in the {r}", "it is too hot in the {r}"],
    "music": ["play some music in the {r}", "put on a song in the {r}", "start the playlist in the {r}"],
    "lock": ["lock the {r} door", "is the {r} door locked", "secure the {r}"],
}
ROOMS = ["kitchen", "bedroom", "hall", "garage", "office", "living room"]
FILLERS = ["please", "hey", "could you", "now", "quickly", ""]
LABELS = sorted(INTENTS)


def utterance():
    lab = random.choice(LABELS)
    s = random.choice(INTENTS[lab]).format(r=random.choice(ROOMS))
    words = (random.choice(FILLERS) + " " + s + " " + random.choice(FILLERS)).split()
    # 10% of words dropped to simulate ASR noise
    words = [w for w in words if random.random() > 0.1] or words
    return words, LABELS.index(lab)


data = [utterance() for _ in range(2400)]
train, val = data[:2000], data[2000:]
vocab = {"<pad>": 0, "<unk>": 1}
for ws, _ in train:
    for w in ws:
        vocab.setdefault(w, len(vocab))
MAXLEN = 14


def encode(rows):
    X = torch.zeros(len(rows), MAXLEN, dtype=torch.long)
    y = torch.tensor([lab for _, lab in rows])
    for i, (ws, _) in enumerate(rows):
        ids = [vocab.get(w, 1) for w in ws][:MAXLEN]
        X[i, :len(ids)] = torch.tensor(ids)
    return X, y


Xtr, ytr = encode(train)
Xva, yva = encode(val)


class IntentNet(nn.Module):
    def __init__(self, V, n_out):
        super().__init__()
        self.emb = nn.Embedding(V, 48, padding_idx=0)
        self.gru = nn.GRU(48, 48, batch_first=True, bidirectional=True)
        self.drop = nn.Dropout(0.3)
        self.out = nn.Linear(96, n_out)

    def forward(self, x):
        lengths = (x != 0).sum(1).clamp(min=1)
        packed = nn.utils.rnn.pack_padded_sequence(self.emb(x), lengths, batch_first=True, enforce_sorted=False)
        _, h = self.gru(packed)
        return self.out(self.drop(torch.cat([h[0], h[1]], -1)))


net = IntentNet(len(vocab), len(LABELS))
opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=0.01)
crit = nn.CrossEntropyLoss(label_smoothing=0.1)
best_acc, best_state, wait = -1.0, None, 0
for epoch in range(20):
    net.train()
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(perm), 16):
        b = perm[i:i + 16]
        loss = crit(net(Xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        logits = net(Xva)
        vloss = nn.functional.cross_entropy(logits, yva).item()
        vacc = (logits.argmax(1) == yva).float().mean().item()
        tloss = nn.functional.cross_entropy(net(Xtr), ytr).item()
    print(f"epoch {epoch + 1}: train_loss {tloss:.4f} val_loss {vloss:.4f} val_acc {vacc:.4f}")
    if vacc > best_acc:
        best_acc, best_state, best_vloss, best_tloss, wait = vacc, copy.deepcopy(net.state_dict()), vloss, tloss, 0
    else:
        wait += 1
        if wait >= 3:
            print(f"early stop at epoch {epoch + 1}, best val_acc {best_acc:.4f}")
            break

net.load_state_dict(best_state)
print("CORPUS_METRIC " + json.dumps({"val_acc": round(best_acc, 4), "val_loss": round(best_vloss, 4),
                                     "train_loss": round(best_tloss, 4), "chance_acc": round(1 / len(LABELS), 4)}))
