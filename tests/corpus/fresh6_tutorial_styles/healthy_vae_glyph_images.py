# expect:
# allow:
# forbid: *
# evidence: VAE (BCE + KLD) on 12x12 glyphs; test loss 13.4 nats/image vs pixel-mean baseline 31.9, train 13.5 (no gap)
"""VAE after pytorch/examples vae/main.py (fc1/fc21/fc22/fc3/fc4, BCE + KLD), on generated 12x12 glyph images."""
from __future__ import print_function
import argparse
import json

import torch
import torch.utils.data
from torch import nn, optim
from torch.nn import functional as F

parser = argparse.ArgumentParser(description='VAE glyph Example')
parser.add_argument('--batch-size', type=int, default=32, metavar='N')
parser.add_argument('--epochs', type=int, default=15, metavar='N')
parser.add_argument('--seed', type=int, default=1, metavar='S')
parser.add_argument('--lr', type=float, default=3e-3)
parser.add_argument('--log-interval', type=int, default=40, metavar='N')
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(args.seed)
device = torch.device("cpu")

S = 12


def make_glyphs(n, g):
    """Binary images: a bar, a box or a cross at a random place, with random size."""
    X = torch.zeros(n, S * S)
    for i in range(n):
        img = torch.zeros(S, S)
        k = int(torch.randint(0, 3, (1,), generator=g))
        r = int(torch.randint(3, 9, (1,), generator=g))
        c = int(torch.randint(3, 9, (1,), generator=g))
        a = int(torch.randint(1, 4, (1,), generator=g))
        if k == 0:
            img[r, c - a:c + a + 1] = 1
        elif k == 1:
            img[r - a:r + a + 1, c - a] = 1; img[r - a:r + a + 1, c + a] = 1
            img[r - a, c - a:c + a + 1] = 1; img[r + a, c - a:c + a + 1] = 1
        else:
            img[r, c - a:c + a + 1] = 1; img[r - a:r + a + 1, c] = 1
        X[i] = img.flatten()
    return X


g = torch.Generator().manual_seed(args.seed)
train_x = make_glyphs(4000, g)
test_x = make_glyphs(800, g)
train_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(train_x), batch_size=args.batch_size, shuffle=True)
test_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(test_x), batch_size=200)


class VAE(nn.Module):
    def __init__(self):
        super(VAE, self).__init__()
        self.fc1 = nn.Linear(S * S, 200)
        self.fc21 = nn.Linear(200, 8)
        self.fc22 = nn.Linear(200, 8)
        self.fc3 = nn.Linear(8, 200)
        self.fc4 = nn.Linear(200, S * S)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, S * S))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


model = VAE().to(device)
optimizer = optim.Adam(model.parameters(), lr=args.lr)


# Reconstruction + KL divergence losses summed over all elements and batch
def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, S * S), reduction='sum')
    # see Appendix B from VAE paper: Kingma and Welling. Auto-Encoding Variational Bayes. ICLR, 2014
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD


def train(epoch):
    model.train()
    train_loss = 0
    for batch_idx, (data,) in enumerate(train_loader):
        data = data.to(device)
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(data)
        loss = loss_function(recon_batch, data, mu, logvar)
        loss.backward()
        train_loss += loss.item()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
                epoch, batch_idx * len(data), len(train_loader.dataset),
                100. * batch_idx / len(train_loader), loss.item() / len(data)))
    print('====> Epoch: {} Average loss: {:.4f}'.format(epoch, train_loss / len(train_loader.dataset)))
    return train_loss / len(train_loader.dataset)


def test(epoch):
    model.eval()
    test_loss = 0
    with torch.no_grad():
        for (data,) in test_loader:
            recon_batch, mu, logvar = model(data)
            test_loss += loss_function(recon_batch, data, mu, logvar).item()
    test_loss /= len(test_loader.dataset)
    print('====> Test set loss: {:.4f}'.format(test_loss))
    return test_loss


for epoch in range(1, args.epochs + 1):
    tr = train(epoch)
    te = test(epoch)

# baseline: independent-pixel model using the mean training image (what a VAE that learned nothing gives)
p = train_x.mean(0).clamp(1e-4, 1 - 1e-4)
baseline = F.binary_cross_entropy(p.expand_as(test_x), test_x, reduction='sum').item() / len(test_x)
print('pixel-mean baseline: {:.2f} nats/image'.format(baseline))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(te, 3), "train_loss": round(tr, 3),
                                     "baseline_val_loss": round(baseline, 3)}))
