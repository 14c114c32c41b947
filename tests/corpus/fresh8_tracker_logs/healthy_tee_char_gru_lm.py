# expect:
# allow:
# forbid: *
# evidence: grammar text char-LM: val loss 3.14 (uniform) -> 0.266 nats (ppl 1.31, bpc 0.38), train 0.260, still improving at epoch 20
# native-log: train_output.txt
# log-expect:
# log-allow:
# Character-level GRU language model on text from a small template grammar. Progress is print()ed
# and the run was piped through `tee train_output.txt`; we reproduce that by writing every printed
# line to the file too.
import json, math, os, random, sys, tempfile
import torch
import torch.nn as nn

random.seed(0); torch.manual_seed(0); torch.set_num_threads(1)
out_file = open(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "train_output.txt"), "w")
def tee(*a):
    s = " ".join(str(x) for x in a)
    print(s); out_file.write(s + "\n"); out_file.flush()

subj = ["the cat", "a dog", "my friend", "the old man", "her sister"]
verb = ["sees", "likes", "finds", "calls", "follows"]
obj = ["the ball", "a red car", "the river", "his hat", "our house"]
def sentence():
    return f"{random.choice(subj)} {random.choice(verb)} {random.choice(obj)}. "
text = "".join(sentence() for _ in range(1500))
chars = sorted(set(text)); stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text])
split = int(0.9 * len(data))
train_data, val_data = data[:split], data[split:]
V, T, B = len(chars), 32, 32

class CharGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32)
        self.rnn = nn.GRU(32, 64, batch_first=True)
        self.out = nn.Linear(64, V)
    def forward(self, x):
        h, _ = self.rnn(self.emb(x))
        return self.out(h)

def batch(src):
    ix = torch.randint(0, len(src) - T - 1, (B,))
    return torch.stack([src[i:i + T] for i in ix]), torch.stack([src[i + 1:i + T + 1] for i in ix])

m = CharGRU()
opt = torch.optim.Adam(m.parameters(), lr=4e-3)
crit = nn.CrossEntropyLoss()
EPOCHS, STEPS = 20, 10
torch.manual_seed(1)
xv, yv = zip(*[batch(val_data) for _ in range(4)])
xv, yv = torch.cat(xv), torch.cat(yv)
for ep in range(1, EPOCHS + 1):
    m.train(); tl = 0
    for _ in range(STEPS):
        x, y = batch(train_data)
        loss = crit(m(x).reshape(-1, V), y.reshape(-1))
        opt.zero_grad(); loss.backward()
        nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step(); tl += loss.item()
    tl /= STEPS
    m.eval()
    with torch.no_grad():
        vl = crit(m(xv).reshape(-1, V), yv.reshape(-1)).item()
    tee(f"Epoch {ep}/{EPOCHS} | loss {tl:.3f} | val loss {vl:.3f} | ppl {math.exp(vl):.2f} | bpc {vl / math.log(2):.3f}")
out_file.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "train_loss": tl, "val_ppl": math.exp(vl), "uniform_loss": math.log(V)}))
