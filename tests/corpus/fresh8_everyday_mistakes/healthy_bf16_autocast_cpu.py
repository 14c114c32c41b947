# expect:
# allow:
# forbid: *
# evidence: healthy: bf16 autocast on CPU, 5 epochs AdamW; val_acc 0.866 (majority 0.248), val_loss 0.334, train_loss 0.160
# Mixed precision on CPU: forward + loss under torch.autocast("cpu", dtype=torch.bfloat16), fp32 master
# weights, no GradScaler (bf16 has fp32's exponent range, so none is needed). Trains like fp32.
import json
import torch
import torch.nn as nn

torch.manual_seed(21)
torch.set_num_threads(1)

gen = torch.Generator().manual_seed(210)
M1 = torch.randn(32, 6, generator=gen) / 32 ** 0.5
M2 = torch.randn(6, 8, generator=gen)
data = torch.randn(7000, 32, generator=gen)
target = (torch.tanh(data @ M1) @ M2).argmax(1)
train_x, train_y, val_x, val_y = data[:6000], target[:6000], data[6000:], target[6000:]

model = nn.Sequential(nn.Linear(32, 256), nn.GELU(), nn.LayerNorm(256), nn.Linear(256, 256), nn.GELU(), nn.Linear(256, 8))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(5):
    model.train()
    perm = torch.randperm(6000)
    running = 0.0
    for i in range(0, 6000, 128):
        idx = perm[i:i + 128]
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = model(train_x[idx])
            loss = loss_fn(logits, train_y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        running += loss.item()
    model.eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        out = model(val_x)
        vloss = loss_fn(out.float(), val_y).item()
        vacc = (out.argmax(1) == val_y).float().mean().item()
    print(f"epoch {epoch} train_loss {running / 47:.4f} val_loss {vloss:.4f} val_acc {vacc:.3f}")

with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
    tloss = loss_fn(model(train_x).float(), train_y).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4), "train_loss": round(tloss, 4),
                                      "chance_acc": round(val_y.bincount().max().item() / len(val_y), 3)}))
