# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: ESPCN with SGD(momentum 0.9) lr=1e-4: test MSE 0.0317 (PSNR 15.0 dB, target variance 0.046); control lr=0.05: MSE 0.0033 (PSNR 24.8 dB)
# control: --control
"""Sub-pixel CNN super-resolution after pytorch/examples super_resolution (model.py + main.py),
on generated smooth 24x24 luminance images, upscale factor 2."""
from __future__ import print_function
import argparse
import json
from math import log10

import torch
import torch.nn as nn
import torch.nn.init as init
import torch.optim as optim
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser(description='PyTorch Super Res Example')
parser.add_argument('--upscale_factor', type=int, default=2, help="super resolution upscale factor")
parser.add_argument('--batchSize', type=int, default=8, help='training batch size')
parser.add_argument('--testBatchSize', type=int, default=50, help='testing batch size')
parser.add_argument('--nEpochs', type=int, default=8, help='number of epochs to train for')
parser.add_argument('--lr', type=float, default=1e-4, help='Learning Rate. Default=1e-4')
parser.add_argument('--control', action='store_true', help='use lr=0.05 instead')
parser.add_argument('--seed', type=int, default=123, help='random seed to use. Default=123')
opt = parser.parse_args()
if opt.control:
    opt.lr = 0.05
print(opt)

torch.set_num_threads(1)
torch.manual_seed(opt.seed)
device = torch.device("cpu")

HR = 24


def make_images(n, g):
    """Random images: oriented gratings + hard-edged discs and bars, values in [0, 1]."""
    yy, xx = torch.meshgrid(torch.arange(HR).float(), torch.arange(HR).float(), indexing="ij")
    imgs = torch.zeros(n, 1, HR, HR)
    for i in range(n):
        img = torch.zeros(HR, HR)
        for _ in range(2):
            th = float(torch.rand(1, generator=g)) * 3.1416
            f = 0.2 + 0.4 * float(torch.rand(1, generator=g))
            ph = float(torch.rand(1, generator=g)) * 6.28
            img += torch.cos(f * (xx * torch.cos(torch.tensor(th)) + yy * torch.sin(torch.tensor(th))) + ph)
        for _ in range(3):
            cx, cy = torch.randint(0, HR, (2,), generator=g).tolist()
            s = int(torch.randint(2, 7, (1,), generator=g))
            if float(torch.rand(1, generator=g)) < 0.5:
                img += 2.5 * (((xx - cx) ** 2 + (yy - cy) ** 2) < s * s).float()        # disc
            else:
                img += 2.5 * (((xx - cx).abs() < s) & ((yy - cy).abs() < s / 2)).float()  # bar
        img = (img - img.min()) / (img.max() - img.min() + 1e-8)
        imgs[i, 0] = img
    return imgs


print('===> Loading datasets')
g = torch.Generator().manual_seed(opt.seed)
hr_train = make_images(1000, g)
hr_test = make_images(200, g)
lr_train = F.avg_pool2d(hr_train, opt.upscale_factor)
lr_test = F.avg_pool2d(hr_test, opt.upscale_factor)
training_data_loader = DataLoader(TensorDataset(lr_train, hr_train), batch_size=opt.batchSize, shuffle=True)
testing_data_loader = DataLoader(TensorDataset(lr_test, hr_test), batch_size=opt.testBatchSize, shuffle=False)


class Net(nn.Module):
    def __init__(self, upscale_factor):
        super(Net, self).__init__()

        self.relu = nn.ReLU()
        self.conv1 = nn.Conv2d(1, 32, (5, 5), (1, 1), (2, 2))
        self.conv2 = nn.Conv2d(32, 32, (3, 3), (1, 1), (1, 1))
        self.conv3 = nn.Conv2d(32, 16, (3, 3), (1, 1), (1, 1))
        self.conv4 = nn.Conv2d(16, upscale_factor ** 2, (3, 3), (1, 1), (1, 1))
        self.pixel_shuffle = nn.PixelShuffle(upscale_factor)

        self._initialize_weights()

    def forward(self, x):
        x = self.relu(self.conv1(x))
        x = self.relu(self.conv2(x))
        x = self.relu(self.conv3(x))
        x = self.pixel_shuffle(self.conv4(x))
        return x

    def _initialize_weights(self):
        init.orthogonal_(self.conv1.weight, init.calculate_gain('relu'))
        init.orthogonal_(self.conv2.weight, init.calculate_gain('relu'))
        init.orthogonal_(self.conv3.weight, init.calculate_gain('relu'))
        init.orthogonal_(self.conv4.weight)


print('===> Building model')
model = Net(upscale_factor=opt.upscale_factor).to(device)
criterion = nn.MSELoss()

optimizer = optim.SGD(model.parameters(), lr=opt.lr, momentum=0.9)


def train(epoch):
    epoch_loss = 0
    for iteration, batch in enumerate(training_data_loader, 1):
        input, target = batch[0].to(device), batch[1].to(device)

        optimizer.zero_grad()
        loss = criterion(model(input), target)
        epoch_loss += loss.item()
        loss.backward()
        optimizer.step()

        if iteration % 50 == 0:
            print("===> Epoch[{}]({}/{}): Loss: {:.6f}".format(epoch, iteration, len(training_data_loader), loss.item()))

    print("===> Epoch {} Complete: Avg. Loss: {:.6f}".format(epoch, epoch_loss / len(training_data_loader)))
    return epoch_loss / len(training_data_loader)


def test():
    avg_psnr = 0
    avg_mse = 0
    with torch.no_grad():
        for batch in testing_data_loader:
            input, target = batch[0].to(device), batch[1].to(device)

            prediction = model(input)
            mse = criterion(prediction, target)
            psnr = 10 * log10(1 / mse.item())
            avg_psnr += psnr
            avg_mse += mse.item()
    print("===> Avg. PSNR: {:.4f} dB".format(avg_psnr / len(testing_data_loader)))
    return avg_psnr / len(testing_data_loader), avg_mse / len(testing_data_loader)


for epoch in range(1, opt.nEpochs + 1):
    tl = train(epoch)
    psnr, mse = test()

with torch.no_grad():
    bic = F.interpolate(lr_test, scale_factor=opt.upscale_factor, mode="bicubic", align_corners=False).clamp(0, 1)
    bic_mse = F.mse_loss(bic, hr_test).item()
print("bicubic baseline PSNR: {:.2f} dB".format(10 * log10(1 / bic_mse)))
print("CORPUS_METRIC " + json.dumps({"val_mse": round(mse, 6), "val_psnr": round(psnr, 3), "train_loss": round(tl, 6),
                                     "bicubic_mse": round(bic_mse, 6), "bicubic_psnr": round(10 * log10(1 / bic_mse), 3),
                                     "target_var": round(hr_test.var().item(), 5)}))
