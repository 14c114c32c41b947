# expect: unnormalized_inputs
# allow: saturated_activations, non_convergence, high_bias
# forbid: *
# evidence: planted (raw t_u, mean 63.8, std 23.2): 88% of tanh outputs |h|>0.99 at init (100% at the end), hidden weight grad 5.2 vs bias grad 0.07, model outputs a constant: val MSE 116.0 vs target variance 119.6. control (t_u standardised): val MSE 0.54 (noise variance ~0.44 C^2), tanh saturation 0.03
# control: --control
""""Deep Learning with PyTorch" chapters 5-6 style: the thermometer with unknown units. Readings
t_u of a cheap thermometer (values ~20..110) are paired with Celsius temperatures t_c; the book's
random train/val split via torch.randperm, the book's seq_model (OrderedDict hidden_linear 1->8,
Tanh, output_linear 8->1), optim.SGD(lr=1e-3), nn.MSELoss, full-batch training_loop printing
'Epoch {epoch}, Training loss {loss_train.item():.4f}, Validation loss {loss_val.item():.4f}'.
The planted cause: t_u is fed in raw units instead of being normalised, so the hidden tanh
pre-activations are in the tens and the gradient w.r.t. the weights is ~50x that of the biases.
--control standardises t_u with the training mean/std, nothing else changes."""
import sys, json, random
from collections import OrderedDict
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)

# a slightly non-linear cheap thermometer
rs = np.random.RandomState(7)
t_c = rs.uniform(-5, 38, size=160)
t_u = 32 + 1.8 * t_c + 0.015 * (t_c - 15) ** 2 + rs.normal(0, 1.2, size=160)
t_c = torch.tensor(t_c, dtype=torch.float32).unsqueeze(1)
t_u = torch.tensor(t_u, dtype=torch.float32).unsqueeze(1)

n_samples = t_u.shape[0]
n_val = int(0.2 * n_samples)
shuffled_indices = torch.randperm(n_samples)
train_indices = shuffled_indices[:-n_val]
val_indices = shuffled_indices[-n_val:]
t_u_train, t_c_train = t_u[train_indices], t_c[train_indices]
t_u_val, t_c_val = t_u[val_indices], t_c[val_indices]

if CONTROL:
    mu, sd = t_u_train.mean(), t_u_train.std()
    t_un_train, t_un_val = (t_u_train - mu) / sd, (t_u_val - mu) / sd
else:
    t_un_train, t_un_val = t_u_train, t_u_val          # raw units go straight into the network
print(f"input mean {t_un_train.mean().item():.2f}, std {t_un_train.std().item():.2f}")

def training_loop(n_epochs, optimizer, model, loss_fn, t_u_train, t_u_val, t_c_train, t_c_val):
    for epoch in range(1, n_epochs + 1):
        t_p_train = model(t_u_train)
        loss_train = loss_fn(t_p_train, t_c_train)
        with torch.no_grad():
            t_p_val = model(t_u_val)
            loss_val = loss_fn(t_p_val, t_c_val)
        optimizer.zero_grad()
        loss_train.backward()
        optimizer.step()
        if epoch == 1 or epoch % 500 == 0:
            print(f"Epoch {epoch}, Training loss {loss_train.item():.4f},"
                  f" Validation loss {loss_val.item():.4f}")
    return loss_train.item(), loss_val.item()

seq_model = nn.Sequential(OrderedDict([
    ('hidden_linear', nn.Linear(1, 8)),
    ('hidden_activation', nn.Tanh()),
    ('output_linear', nn.Linear(8, 1))
]))
optimizer = optim.SGD(seq_model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
with torch.no_grad():
    h0 = torch.tanh(seq_model.hidden_linear(t_un_train))
print(f"tanh outputs with |h| > 0.99 at init: {(h0.abs() > 0.99).float().mean().item():.2f}")
seq_model.zero_grad(); loss_fn(seq_model(t_un_train), t_c_train).backward()
print(f"hidden_linear grad: weight {seq_model.hidden_linear.weight.grad.abs().mean().item():.3e}, "
      f"bias {seq_model.hidden_linear.bias.grad.abs().mean().item():.3e}")

lt, lv = training_loop(n_epochs=5000, optimizer=optimizer, model=seq_model, loss_fn=loss_fn,
                       t_u_train=t_un_train, t_u_val=t_un_val, t_c_train=t_c_train, t_c_val=t_c_val)
with torch.no_grad():
    h = torch.tanh(seq_model.hidden_linear(t_un_val))
    sat = (h.abs() > 0.99).float().mean().item()
    lv = loss_fn(seq_model(t_un_val), t_c_val).item()
print(f"tanh outputs with |h| > 0.99 at the end (val): {sat:.2f}")
print("output:", seq_model(t_un_val[:3]).detach().squeeze().tolist(), "answer:", t_c_val[:3].squeeze().tolist())
print("CORPUS_METRIC " + json.dumps({"val_mse": round(lv, 4), "train_mse": round(lt, 4), "target_var": round(t_c_val.var().item(), 3),
      "noise_var_in_celsius": round((1.2 / 1.8) ** 2, 3), "tanh_sat_frac": round(sat, 3)}))
