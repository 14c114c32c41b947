"""A well-initialised (Xavier) tanh MLP trained with plain SGD at a learning rate 1e5x too high:
the first update throws the weights away, the tanh units saturate and gradients vanish. The root
cause is the learning rate; the initialisation was fine (it is judged before the first update)."""
import torch
from torch import nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
x = torch.randn(2048, 20)
y = (x @ torch.randn(20, 4)).argmax(1)
layers = []
for d_in, d_out in ((20, 64), (64, 64), (64, 64), (64, 64)):
    lin = nn.Linear(d_in, d_out)
    nn.init.xavier_uniform_(lin.weight)
    layers += [lin, nn.Tanh()]
model = nn.Sequential(*layers, nn.Linear(64, 4))
opt = torch.optim.SGD(model.parameters(), lr=1e4)
for step in range(200):
    i = torch.randint(0, len(x), (64,))
    loss = F.cross_entropy(model(x[i]), y[i])
    opt.zero_grad()
    loss.backward()
    opt.step()
print("final loss", float(loss))
