# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: hand-written -(y log p + (1-y) log(1-p)) turns NaN at step 204 once sigmoid rounds to 1.0; w becomes NaN, test acc 0.501; control (BCE with logits) test acc 0.984, test loss 0.046
# control: --control
# Logistic regression from scratch (w, b as tensors, manual gradient step), binary cross-entropy
# written out by hand from the formula. Data: two gaussian classes (e.g. "spam" vs "ham" scores), 10 features.
import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(1)
CONTROL = "--control" in sys.argv

n_feat = 10
direction = torch.randn(n_feat)
direction /= direction.norm()


def make(n):
    y = (torch.rand(n) < 0.5).float()
    x = torch.randn(n, n_feat) + (2 * y - 1).unsqueeze(1) * 2.0 * direction
    return x, y


x_train, y_train = make(2000)
x_test, y_test = make(1000)

w = torch.zeros(n_feat, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.5
bs = 100


def binary_cross_entropy(z, y):
    if CONTROL:
        return F.binary_cross_entropy_with_logits(z, y)
    p = torch.sigmoid(z)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


first_nan = None
step = 0
for epoch in range(60):
    for i in range(0, len(x_train), bs):
        xb, yb = x_train[i:i + bs], y_train[i:i + bs]
        z = xb @ w + b
        loss = binary_cross_entropy(z, yb)
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
        if first_nan is None and not math.isfinite(loss.item()):
            first_nan = step
            print("loss became %s at step %d (epoch %d)" % (loss.item(), step, epoch))
        step += 1
    with torch.no_grad():
        zt = x_test @ w + b
        acc = ((zt > 0).float() == y_test).float().mean().item()
        test_loss = F.binary_cross_entropy_with_logits(zt, y_test).item()
    if epoch % 10 == 0 or epoch == 59:
        print("epoch %d  last batch loss %.4f  |w| %.2f  test loss %.4f  test acc %.4f" % (
            epoch, loss.item(), w.norm().item(), test_loss, acc))

with torch.no_grad():
    train_loss = F.binary_cross_entropy_with_logits(x_train @ w + b, y_train).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4) if math.isfinite(test_loss) else None,
                                     "val_acc": round(acc, 4), "train_loss": round(train_loss, 4) if math.isfinite(train_loss) else None,
                                     "chance_acc": 0.5, "first_nonfinite_step": first_nan}))
