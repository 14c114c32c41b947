# expect:
# allow:
# forbid: *
# evidence: dcgan-style loop (BCELoss, Adam 5e-4 b1 0.5) on 8-gaussian ring; all 8/8 modes covered, 80% of held-out generated samples within 0.3 of a mode, D(x) ~0.53, D(G(z)) ~0.47
# GAN training loop in the style of pytorch/examples dcgan/main.py (netD/netG, BCELoss, real_label/fake_label,
# Adam lr 2e-4 betas (0.5, 0.999), "Loss_D / Loss_G / D(x) / D(G(z))" prints), with small MLPs on a
# 2-D ring of 8 gaussians. Held-out check: mode coverage and fraction of samples near a mode.
import argparse
import json
import math

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument('--niter', type=int, default=2100, help='number of iterations to train for')
parser.add_argument('--batchSize', type=int, default=128)
parser.add_argument('--nz', type=int, default=8, help='size of the latent z vector')
parser.add_argument('--lr', type=float, default=0.0005)
parser.add_argument('--beta1', type=float, default=0.5)
parser.add_argument('--manualSeed', type=int, default=999)
opt = parser.parse_args()
print(opt)

torch.set_num_threads(1)
torch.manual_seed(opt.manualSeed)

angles = torch.arange(8) * (2 * math.pi / 8)
centers = torch.stack([torch.cos(angles), torch.sin(angles)], 1) * 2.0


def sample_real(n):
    k = torch.randint(0, 8, (n,))
    return centers[k] + 0.05 * torch.randn(n, 2)


def weights_init(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, 0.0, 0.1)
        nn.init.zeros_(m.bias)


netG = nn.Sequential(nn.Linear(opt.nz, 128), nn.ReLU(True), nn.Linear(128, 128), nn.ReLU(True), nn.Linear(128, 2))
netD = nn.Sequential(nn.Linear(2, 128), nn.LeakyReLU(0.2, True), nn.Linear(128, 128), nn.LeakyReLU(0.2, True),
                     nn.Linear(128, 1), nn.Sigmoid())
netG.apply(weights_init)
netD.apply(weights_init)

criterion = nn.BCELoss()
fixed_noise = torch.randn(2000, opt.nz)
real_label = 1.
fake_label = 0.
optimizerD = torch.optim.Adam(netD.parameters(), lr=opt.lr, betas=(opt.beta1, 0.999))
optimizerG = torch.optim.Adam(netG.parameters(), lr=opt.lr, betas=(opt.beta1, 0.999))


def quality():
    with torch.no_grad():
        fake = netG(fixed_noise)
        d = torch.cdist(fake, centers)
        dmin, which = d.min(1)
        good = dmin < 0.3
        covered = int(torch.bincount(which[good], minlength=8).gt(20).sum())
    return good.float().mean().item(), covered


for i in range(1, opt.niter + 1):
    ############################
    # (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
    ###########################
    netD.zero_grad()
    real = sample_real(opt.batchSize)
    label = torch.full((opt.batchSize,), real_label)
    output = netD(real).view(-1)
    errD_real = criterion(output, label)
    errD_real.backward()
    D_x = output.mean().item()

    noise = torch.randn(opt.batchSize, opt.nz)
    fake = netG(noise)
    label.fill_(fake_label)
    output = netD(fake.detach()).view(-1)
    errD_fake = criterion(output, label)
    errD_fake.backward()
    D_G_z1 = output.mean().item()
    errD = errD_real + errD_fake
    optimizerD.step()

    ############################
    # (2) Update G network: maximize log(D(G(z)))
    ###########################
    netG.zero_grad()
    label.fill_(real_label)  # fake labels are real for generator cost
    output = netD(fake).view(-1)
    errG = criterion(output, label)
    errG.backward()
    D_G_z2 = output.mean().item()
    optimizerG.step()

    if i % 300 == 0:
        q, cov = quality()
        print('[%d/%d] Loss_D: %.4f Loss_G: %.4f D(x): %.4f D(G(z)): %.4f / %.4f  near-mode %.3f  modes %d/8'
              % (i, opt.niter, errD.item(), errG.item(), D_x, D_G_z1, D_G_z2, q, cov))

q, cov = quality()
print("CORPUS_METRIC " + json.dumps({"frac_samples_near_mode": round(q, 4), "modes_covered": cov, "modes_total": 8,
                                     "loss_D": round(errD.item(), 4), "loss_G": round(errG.item(), 4)}))
