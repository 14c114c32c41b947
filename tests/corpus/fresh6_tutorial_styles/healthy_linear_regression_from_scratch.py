# expect:
# allow:
# forbid: *
# evidence: full-batch GD linear regression, standardised features; test MSE 402 vs noise variance 400 and target variance 12109 (recovers the true weights)
# Linear regression "from scratch": w and b are plain tensors, full-batch gradient descent with
# autograd, update inside torch.no_grad(). Features standardised with training statistics.
# Data: a generated "house price" table (8 features on different scales, linear truth + noise).
import json

import torch

torch.set_num_threads(1)
torch.manual_seed(11)

n_train, n_test = 1500, 500
n = n_train + n_test
area = 50 + 150 * torch.rand(n)             # m^2
rooms = torch.randint(1, 7, (n,)).float()
age = 80 * torch.rand(n)                    # years
dist = 30 * torch.rand(n)                   # km to centre
floor = torch.randint(0, 20, (n,)).float()
garden = (torch.rand(n) < 0.4).float()
income = 20000 + 60000 * torch.rand(n)      # neighbourhood income
crime = 10 * torch.rand(n)
X = torch.stack([area, rooms, age, dist, floor, garden, income, crime], 1)
price = (2.0 * area + 15 * rooms - 0.8 * age - 4.0 * dist + 1.5 * floor + 25 * garden
         + 0.002 * income - 6 * crime + 100 + 20 * torch.randn(n))          # in k EUR
y = price.unsqueeze(1)

X_train, y_train = X[:n_train], y[:n_train]
X_test, y_test = X[n_train:], y[n_train:]
mean, std = X_train.mean(0), X_train.std(0)
X_train = (X_train - mean) / std
X_test = (X_test - mean) / std
y_mean, y_std = y_train.mean(), y_train.std()
t_train = (y_train - y_mean) / y_std

w = torch.randn(8, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
learning_rate = 0.1

for epoch in range(300):
    y_pred = X_train @ w + b
    loss = ((y_pred - t_train) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= learning_rate * w.grad
        b -= learning_rate * b.grad
        w.grad.zero_()
        b.grad.zero_()
    if epoch % 25 == 0:
        with torch.no_grad():
            test_mse = (((X_test @ w + b) * y_std + y_mean - y_test) ** 2).mean().item()
        print(f"epoch {epoch:3d}  train loss (standardised) {loss.item():.5f}  test MSE {test_mse:.1f}")

with torch.no_grad():
    test_mse = (((X_test @ w + b) * y_std + y_mean - y_test) ** 2).mean().item()
    train_mse = (((X_train @ w + b) * y_std + y_mean - y_train) ** 2).mean().item()
print("learned weights:", [round(v, 2) for v in (w.detach().squeeze() * y_std / std).tolist()])
print("CORPUS_METRIC " + json.dumps({"val_mse": round(test_mse, 2), "train_mse": round(train_mse, 2),
                                     "target_var": round(y_test.var().item(), 2), "noise_var": 400.0}))
