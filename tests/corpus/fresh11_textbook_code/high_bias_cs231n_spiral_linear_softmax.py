# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted linear softmax plateaus at train loss 0.776 / train acc 0.49 (val acc 0.52, chance 0.33) after 250 of 3000 full-batch steps; control (--control, hidden layer of 100 ReLUs, same loss/lr/steps) reaches train acc 0.98, val acc 0.97; the spiral classes are separable (Bayes error ~0)
# control: --control
"""CS231n "minimal neural network case study" style: the 3-class spiral (N points per class, noise
0.2), parameters W, b as raw tensors initialised 0.01*randn, softmax computed by hand
(exp_scores / sum), data loss + 0.5*reg*sum(W*W), full-batch gradient descent with step_size=1.0,
printing "iteration %d: loss %f" every so often. The planted cause: a linear softmax classifier on
data that is not linearly separable. --control adds the notes' hidden layer (h=100, ReLU)."""
import sys, json, random
import numpy as np
import torch

CONTROL = "--control" in sys.argv
random.seed(0); np.random.seed(0); torch.manual_seed(0)
torch.set_num_threads(1)

def spiral(N, K, seed):
    rs = np.random.RandomState(seed)
    X = np.zeros((N * K, 2)); y = np.zeros(N * K, dtype='uint8')
    for j in range(K):
        ix = range(N * j, N * (j + 1))
        r = np.linspace(0.0, 1, N)                                   # radius
        t = np.linspace(j * 4, (j + 1) * 4, N) + rs.randn(N) * 0.2   # theta
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[ix] = j
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.long)

N, D, K = 100, 2, 3
X, y = spiral(N, K, seed=0)
Xval, yval = spiral(N, K, seed=1)
num_examples = X.shape[0]

h = 100
if CONTROL:
    W = (0.01 * torch.randn(D, h)).requires_grad_(); b = torch.zeros(1, h, requires_grad=True)
    W2 = (0.01 * torch.randn(h, K)).requires_grad_(); b2 = torch.zeros(1, K, requires_grad=True)
    params = [W, b, W2, b2]
else:
    W = (0.01 * torch.randn(D, K)).requires_grad_(); b = torch.zeros(1, K, requires_grad=True)
    params = [W, b]

step_size = 1e-0
reg = 1e-3

def scores_of(Xb):
    if CONTROL:
        hidden_layer = torch.relu(Xb @ W + b)
        return hidden_layer @ W2 + b2
    return Xb @ W + b

def loss_of(Xb, yb):
    scores = scores_of(Xb)
    exp_scores = torch.exp(scores - scores.max(1, keepdim=True).values)
    probs = exp_scores / exp_scores.sum(1, keepdim=True)
    correct_logprobs = -torch.log(probs[range(Xb.shape[0]), yb])
    data_loss = correct_logprobs.mean()
    reg_loss = 0.5 * reg * sum((p * p).sum() for p in params[0::2])
    return data_loss + reg_loss, data_loss, scores

for i in range(3000):
    loss, data_loss, scores = loss_of(X, y)
    if i % 250 == 0:
        print("iteration %d: loss %f" % (i, loss.item()))
    for p in params:
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in params:
            p += -step_size * p.grad

with torch.no_grad():
    tl, tdl, ts = loss_of(X, y)
    vl, vdl, vs = loss_of(Xval, yval)
    train_acc = (ts.argmax(1) == y).float().mean().item()
    val_acc = (vs.argmax(1) == yval).float().mean().item()
print('training accuracy: %.2f' % train_acc)
print('validation accuracy: %.2f' % val_acc)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vdl.item(), 4), "val_acc": round(val_acc, 4), "train_loss": round(tdl.item(), 4),
      "train_acc": round(train_acc, 4), "chance_acc": round(1 / K, 4)}))
