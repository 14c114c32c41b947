# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted AdamW peak lr 1e-6: val_acc 0.494, val/train loss 0.6932 (= ln 2) after 235 steps; control (--control, lr 1e-3) val_acc 0.997, val_loss 0.0156
# control: --control
"""Small BERT-style encoder from scratch: does token A occur before token B in the sequence?

[CLS] x1 ... xn  ->  bidirectional self-attention (nn.TransformerEncoder, post-LN like BERT, GELU)
-> pooled [CLS] state -> tanh pooler -> 2-way classifier.  AdamW with linear warm-up/decay; peak lr here is 1e-6.
"""
import argparse
import json
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)

p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=1e-6)
p.add_argument("--control", action="store_true", help="use lr 1e-3")
p.add_argument("--epochs", type=int, default=5)
p.add_argument("--batch-size", type=int, default=64)
p.add_argument("--warmup-ratio", type=float, default=0.1)
p.add_argument("--seed", type=int, default=0)
args = p.parse_args()
if args.control:
    args.lr = 1e-3
torch.manual_seed(args.seed)

PAD, CLS, TOK_A, TOK_B = 0, 1, 2, 3
VOCAB = 20
SEQ_LEN = 24  # without [CLS]


def make_split(n, g):
    body = torch.randint(4, VOCAB, (n, SEQ_LEN), generator=g)
    # variable length: pad the tail
    lengths = torch.randint(8, SEQ_LEN + 1, (n,), generator=g)
    ar = torch.arange(SEQ_LEN)
    body[ar[None, :] >= lengths[:, None]] = PAD
    labels = torch.empty(n, dtype=torch.long)
    for i in range(n):
        L = lengths[i].item()
        pa, pb = torch.randperm(L, generator=g)[:2].tolist()
        body[i, pa] = TOK_A
        body[i, pb] = TOK_B
        labels[i] = int(pa < pb)
    x = torch.cat([torch.full((n, 1), CLS), body], dim=1)
    return x, labels


g = torch.Generator().manual_seed(1234)
x_train, y_train = make_split(3000, g)
x_val, y_val = make_split(1000, g)
train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=args.batch_size, shuffle=True)
val_loader = DataLoader(TensorDataset(x_val, y_val), batch_size=256)


class TinyBert(nn.Module):
    def __init__(self, vocab=VOCAB, d_model=48, n_heads=4, n_layers=2, max_len=SEQ_LEN + 1, n_classes=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d_model)
        self.emb_ln = nn.LayerNorm(d_model)
        layer = nn.TransformerEncoderLayer(d_model, n_heads, dim_feedforward=4 * d_model, dropout=0.0,
                                           activation="gelu", batch_first=True, norm_first=False)
        self.encoder = nn.TransformerEncoder(layer, n_layers, enable_nested_tensor=False)
        self.pooler = nn.Sequential(nn.Linear(d_model, d_model), nn.Tanh())
        self.classifier = nn.Linear(d_model, n_classes)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, ids):
        pad_mask = ids == PAD
        pos = torch.arange(ids.size(1), device=ids.device)
        h = self.emb_ln(self.tok(ids) + self.pos(pos))
        h = self.encoder(h, src_key_padding_mask=pad_mask)
        return self.classifier(self.pooler(h[:, 0]))  # [CLS] pooling


model = TinyBert()
no_decay = ["bias", "LayerNorm", "norm", "emb_ln"]
params = [
    {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)], "weight_decay": 0.01},
    {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)], "weight_decay": 0.0},
]
optimizer = torch.optim.AdamW(params, lr=args.lr)
total_steps = args.epochs * len(train_loader)
warmup_steps = int(args.warmup_ratio * total_steps)
scheduler = torch.optim.lr_scheduler.LambdaLR(
    optimizer, lambda s: (s + 1) / warmup_steps if s < warmup_steps else max(0.0, (total_steps - s) / (total_steps - warmup_steps)))
criterion = nn.CrossEntropyLoss()


def evaluate():
    model.eval()
    tot_loss, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for xb, yb in val_loader:
            logits = model(xb)
            tot_loss += criterion(logits, yb).item() * len(yb)
            correct += (logits.argmax(-1) == yb).sum().item()
            n += len(yb)
    model.train()
    return tot_loss / n, correct / n


for epoch in range(1, args.epochs + 1):
    model.train()
    run_loss, run_correct, seen = 0.0, 0, 0
    for xb, yb in train_loader:
        logits = model(xb)
        loss = criterion(logits, yb)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        run_loss += loss.item() * len(yb)
        run_correct += (logits.argmax(-1) == yb).sum().item()
        seen += len(yb)
    val_loss, val_acc = evaluate()
    print(f"epoch {epoch} | train loss {run_loss / seen:.4f} acc {run_correct / seen:.3f} | "
          f"val loss {val_loss:.4f} acc {val_acc:.3f} | lr {scheduler.get_last_lr()[0]:.2e}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(run_loss / seen, 4), "chance_acc": 0.5}))
