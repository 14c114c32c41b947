"""Small trainings broken in a known way, in four setups people use (the advice tests): each
builds its own model, optimiser and schedule the way such a script would."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyGPT(nn.Module):
    def __init__(self, vocab, ctx):
        super().__init__()
        self.emb, self.pos = nn.Embedding(vocab, 32), nn.Parameter(torch.zeros(ctx, 32))
        self.block = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True, norm_first=True)
        self.ln, self.head = nn.LayerNorm(32), nn.Linear(32, vocab)

    def forward(self, x, mask):
        return self.head(self.ln(self.block(self.emb(x) + self.pos, src_mask=mask, is_causal=True)))


class CharLSTM(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.emb, self.lstm, self.head = nn.Embedding(vocab, 32), nn.LSTM(32, 64, batch_first=True), nn.Linear(64, vocab)

    def forward(self, x):
        return self.head(self.lstm(self.emb(x))[0])


def transformer_lm(peak_lr=3.0, steps=120, seed=0):
    """A pre-norm transformer LM, AdamW with linear warm-up and cosine decay, clipped at 1.0."""
    torch.manual_seed(seed)
    vocab, ctx = 32, 16
    data = torch.randint(0, vocab, (2000, ctx + 1))
    for t in range(ctx):  # a learnable next-token rule, with some noise
        data[:, t + 1] = torch.where(torch.rand(len(data)) < 0.9, (data[:, t] * 7 + 3) % vocab, data[:, t + 1])
    model = TinyGPT(vocab, ctx)
    opt = torch.optim.AdamW(model.parameters(), lr=peak_lr, weight_decay=0.01)
    warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=20)
    cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps - 20)
    sched = torch.optim.lr_scheduler.SequentialLR(opt, [warm, cos], milestones=[20])
    mask = nn.Transformer.generate_square_subsequent_mask(ctx)
    for step in range(steps):
        batch = data[torch.randint(0, len(data), (32,))]
        x, y = batch[:, :-1], batch[:, 1:]
        loss = F.cross_entropy(model(x, mask).reshape(-1, vocab), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
    return model


def sgd_cnn(lr=5.0, steps=120, seed=0):
    """A small CNN on synthetic 1x16x16 images, SGD with momentum 0.9."""
    torch.manual_seed(seed)
    x = torch.randn(1024, 1, 16, 16)
    y = (x[:, 0, :8].mean((1, 2)) > x[:, 0, 8:].mean((1, 2))).long()
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Linear(256, 2))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    for step in range(steps):
        i = torch.randint(0, len(x), (64,))
        loss = F.cross_entropy(model(x[i]), y[i])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def lstm_lm(lr=1e-6, steps=150, seed=0):
    """A character-level LSTM language model with Adam at far too low a learning rate."""
    torch.manual_seed(seed)
    text = ("the quick brown fox jumps over the lazy dog " * 200).encode()
    data = torch.tensor(list(text)) % 64
    model = CharLSTM(64)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for step in range(steps):
        starts = torch.randint(0, len(data) - 33, (16,))
        seq = torch.stack([data[s:s + 33] for s in starts])
        loss = F.cross_entropy(model(seq[:, :-1]).reshape(-1, 64), seq[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model
