# expect: vanishing_gradients
# allow: saturated_activations, non_convergence, high_bias, learning_rate_too_low
# forbid: *
# evidence: planted (9 sigmoid hidden layers) val_acc 0.104, val_loss 2.328 (chance 0.10), first/last layer grad-norm ratio 5.9e-05; control (ReLU, same depth/init/optimiser) val_acc 0.952, val_loss 0.19, ratio 4.2
# control: --control
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

USE_RELU = "--control" in sys.argv
ACT = nn.ReLU if USE_RELU else nn.Sigmoid      # "sigmoid is smooth, it should be fine"
DEPTH, WIDTH = 9, 96
LR, MOMENTUM, EPOCHS, BS = 0.01, 0.9, 10, 32

torch.set_num_threads(1)
torch.manual_seed(4)

SEVEN_SEG = {  # a, b, c, d, e, f, g segments of a seven-segment display
    0: "1111110", 1: "0110000", 2: "1101101", 3: "1111001", 4: "0110011",
    5: "1011011", 6: "1011111", 7: "1110000", 8: "1111111", 9: "1111011",
}


def seven_segment(d, g):
    img = torch.zeros(14, 10)
    on = [c == "1" for c in SEVEN_SEG[d]]
    t = 1 + int(torch.randint(0, 2, (1,), generator=g))
    if on[0]: img[0:t, 2:8] = 1
    if on[1]: img[1:7, 8 - t + 1:9] = 1
    if on[2]: img[7:13, 8 - t + 1:9] = 1
    if on[3]: img[13 - t + 1:14, 2:8] = 1
    if on[4]: img[7:13, 1:1 + t] = 1
    if on[5]: img[1:7, 1:1 + t] = 1
    if on[6]: img[6:6 + t, 2:8] = 1
    canvas = torch.zeros(16, 16)
    oy, ox = [int(v) for v in torch.randint(0, 3, (2,), generator=g)]
    canvas[oy:oy + 14, ox + 2:ox + 12] = img
    return canvas + 0.3 * torch.randn(16, 16, generator=g)


def make(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 10, (n,), generator=g)
    return torch.stack([seven_segment(int(d), g) for d in y]).view(n, -1), y


def mlp():
    layers, d = [], 256
    for _ in range(DEPTH):
        layers += [nn.Linear(d, WIDTH), ACT()]
        d = WIDTH
    net = nn.Sequential(*layers, nn.Linear(d, 10))
    for m in net:
        if isinstance(m, nn.Linear):          # He init, biases zero
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return net


xtr, ytr = make(2000, 1)
xva, yva = make(500, 2)
model = mlp()
opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
linears = [m for m in model if isinstance(m, nn.Linear)]

for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(xtr))
    tot, g_first, g_last, nb = 0.0, 0.0, 0.0, 0
    for i in range(0, len(xtr), BS):
        b = perm[i:i + BS]
        loss = F.cross_entropy(model(xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        g_first += linears[0].weight.grad.norm().item()
        g_last += linears[-1].weight.grad.norm().item()
        opt.step()
        tot += loss.item() * len(b)
        nb += 1
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    ratio = g_first / max(g_last, 1e-30)
    print(f"epoch {epoch}: train_loss {tot / len(xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f} "
          f"|grad W1| {g_first / nb:.2e} |grad W_out| {g_last / nb:.2e} ratio {ratio:.1e}")

print("CORPUS_METRIC " + json.dumps({"train_loss": round(tot / len(xtr), 4), "val_loss": round(vl, 4),
                                     "val_acc": round(va, 4), "chance_acc": 0.1,
                                     "grad_ratio_first_last": float(f"{ratio:.3g}")}))
