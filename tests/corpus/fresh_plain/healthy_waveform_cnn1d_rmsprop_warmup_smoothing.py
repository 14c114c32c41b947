# expect:
# allow:
# forbid: *
# evidence: held-out val_acc 0.94 (chance 0.20), val_loss 0.357 (unsmoothed CE), train_loss 0.330 - no gap; per-step loss is noisy by design (batch 4)
"""1-D CNN that classifies noisy waveforms (sine / square / sawtooth / rectified sine / chirp).
RMSprop, linear warm-up for 150 steps then cosine decay (LambdaLR), label smoothing 0.1, and
deliberately tiny batches of 4, so the per-step loss is very noisy."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(5)

L = 64


def waveforms(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 5, (n,), generator=g)
    t = torch.linspace(0, 1, L).expand(n, L)
    freq = (2 + 4 * torch.rand(n, 1, generator=g))
    phase = torch.rand(n, 1, generator=g)
    ph = freq * t + phase
    frac = ph - ph.floor()
    sig = torch.empty(n, L)
    sig[y == 0] = torch.sin(2 * math.pi * ph)[y == 0]
    sig[y == 1] = torch.sign(torch.sin(2 * math.pi * ph))[y == 1]
    sig[y == 2] = (2 * frac - 1)[y == 2]
    sig[y == 3] = (2 * torch.sin(math.pi * ph).abs() - 1)[y == 3]
    sig[y == 4] = torch.sin(2 * math.pi * (freq * t * t * 2 + phase))[y == 4]
    amp = 0.5 + torch.rand(n, 1, generator=g)
    x = amp * sig + 0.4 * torch.randn(n, L, generator=g)
    return x.unsqueeze(1), y


x_tr, y_tr = waveforms(1200, 1)
x_va, y_va = waveforms(800, 2)

model = nn.Sequential(
    nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
    nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
    nn.Conv1d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveMaxPool1d(1),
    nn.Flatten(), nn.Linear(64, 5),
)

BATCH, EPOCHS, WARMUP = 4, 4, 150
steps_per_epoch = len(x_tr) // BATCH
total_steps = EPOCHS * steps_per_epoch
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.99)


def lr_lambda(step):
    if step < WARMUP:
        return (step + 1) / WARMUP
    progress = (step - WARMUP) / max(1, total_steps - WARMUP)
    return 0.5 * (1 + math.cos(math.pi * progress))


scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)

step = 0
for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(x_tr))
    running = 0.0
    for i in range(steps_per_epoch):
        idx = perm[i * BATCH:(i + 1) * BATCH]
        optimizer.zero_grad()
        loss = criterion(model(x_tr[idx]), y_tr[idx])
        loss.backward()
        optimizer.step()
        scheduler.step()
        running += loss.item()
        step += 1
        if step % 100 == 0:
            print(f"step {step:4d} lr {scheduler.get_last_lr()[0]:.2e} loss(last 100) {running / 100:.4f}")
            running = 0.0
    model.eval()
    with torch.no_grad():
        out = model(x_va)
        val_loss = F.cross_entropy(out, y_va).item()
        val_acc = (out.argmax(1) == y_va).float().mean().item()
        tr_out = model(x_tr)
        train_loss = F.cross_entropy(tr_out, y_tr).item()
    print(f"== epoch {epoch + 1} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(train_loss, 4), "chance_acc": 0.2}))
