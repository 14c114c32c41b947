"""Held-out: a LayerNorm + GELU MLP with AdamW at lr=1e-6 (a fine-tuning learning rate used for
training from scratch); evaluates every 40 steps from an infinite sampler; the loss barely moves."""
# expect: learning_rate_too_low, non_convergence
# allow: high_bias
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(1010)
x = torch.randn(3000, 20)
y = (x @ torch.randn(20, 4) + 0.3 * torch.randn(3000, 4)).argmax(1)
xtr, ytr, xva, yva = x[:2500], y[:2500], x[2500:], y[2500:]
model = nn.Sequential(nn.Linear(20, 64), nn.LayerNorm(64), nn.GELU(),
                      nn.Linear(64, 64), nn.LayerNorm(64), nn.GELU(), nn.Linear(64, 4))
opt = torch.optim.AdamW(model.parameters(), lr=1e-6, weight_decay=0.01)
crit = nn.CrossEntropyLoss()
for step in range(1, 501):
    idx = torch.randint(0, len(xtr), (64,))
    loss = crit(model(xtr[idx]), ytr[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 40 == 0:
        model.eval()
        with torch.no_grad():
            out = model(xva)
            print(f"step {step} loss {loss.item():.4f} val {crit(out, yva).item():.4f} "
                  f"acc {(out.argmax(1) == yva).float().mean():.3f}")
        model.train()
