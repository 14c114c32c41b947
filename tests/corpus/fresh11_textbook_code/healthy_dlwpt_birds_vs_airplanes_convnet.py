# expect:
# allow:
# forbid: *
# evidence: val accuracy 0.976 (train 0.982), val loss 0.090 (chance 0.5); training loss 0.66 -> 0.09 over 25 epochs (slow first 10 epochs at the book's lr 1e-2, then fast)
# native-log: dlwpt_training.log
# log-expect:
# log-allow:
""""Deep Learning with PyTorch" (Stevens, Antiga, Viehmann) chapter 8 style: the birds-vs-airplanes
subset of CIFAR-10 is replaced by procedurally drawn 3x16x16 sky pictures (airplanes: a pale cross
of fuselage and wings; birds: a small dark V, sometimes over green ground), the book's Net (conv1
16ch -> tanh -> maxpool -> conv2 8ch -> tanh -> maxpool -> fc1 32 -> tanh -> fc2 2), the book's
training_loop(n_epochs, optimizer, model, loss_fn, train_loader) printing
'{} Epoch {}, Training loss {}'.format(datetime.datetime.now(), ...) at epoch 1 and every 10, and
validate() printing 'Accuracy train: ...' / 'Accuracy val: ...'. Printed lines are also appended to
$CORPUS_LOG_DIR/dlwpt_training.log."""
import os, sys, json, random, datetime, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(123); np.random.seed(123); random.seed(123)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
_logf = open(os.path.join(LOG_DIR, "dlwpt_training.log"), "w")
def log(line):
    print(line); _logf.write(line + "\n"); _logf.flush()

def draw(label, rs):
    img = np.zeros((3, 16, 16), dtype=np.float32)
    sky = rs.uniform(0.5, 0.9)
    grad = np.linspace(0.0, 0.25, 16)[:, None]
    img[0] = sky * 0.55 + grad; img[1] = sky * 0.75 + grad; img[2] = sky + grad * 0.5
    if rs.rand() < 0.5:                                   # a cloud
        cy, cx, r = rs.randint(2, 14), rs.randint(2, 14), rs.randint(2, 4)
        yy, xx = np.ogrid[:16, :16]
        m = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
        img[:, m] = np.clip(img[:, m] + 0.3, 0, 1)
    if label == 0:                                        # airplane: pale cross
        L = rs.randint(6, 11); y0 = rs.randint(3, 12); x0 = rs.randint(0, 16 - L)
        c = rs.uniform(0.75, 1.0)
        img[:, y0, x0:x0 + L] = c
        wx = x0 + L // 2 + rs.randint(-1, 2); w = rs.randint(2, 4)
        img[:, max(0, y0 - w):y0 + w + 1, wx] = c * 0.95
    else:                                                 # bird: small dark V, sometimes over ground
        if rs.rand() < 0.4:
            g0 = rs.randint(11, 14)
            img[0, g0:] = 0.2; img[1, g0:] = rs.uniform(0.4, 0.6); img[2, g0:] = 0.15
        s = rs.randint(2, 4); y0 = rs.randint(2, 10); x0 = rs.randint(s, 16 - s)
        c = rs.uniform(0.05, 0.35)
        for k in range(s + 1):
            img[:, min(15, y0 + k), x0 - s + k] = c
            img[:, min(15, y0 + k), min(15, x0 + s - k)] = c
    img += rs.normal(0, 0.08, img.shape).astype(np.float32)
    return np.clip(img, 0, 1)

def make_split(n, seed):
    rs = np.random.RandomState(seed)
    labels = rs.randint(0, 2, n)
    imgs = np.stack([draw(l, rs) for l in labels])
    return torch.tensor(imgs), torch.tensor(labels, dtype=torch.long)

imgs_t, labels_t = make_split(1200, 1)
imgs_v, labels_v = make_split(500, 2)
# the book normalises each channel with the training-set mean and std
mean = imgs_t.mean(dim=(0, 2, 3), keepdim=True); std = imgs_t.std(dim=(0, 2, 3), keepdim=True)
cifar2 = list(zip((imgs_t - mean) / std, labels_t))
cifar2_val = list(zip((imgs_v - mean) / std, labels_v))

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, padding=1)
        self.act1 = nn.Tanh()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(16, 8, kernel_size=3, padding=1)
        self.act2 = nn.Tanh()
        self.pool2 = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(8 * 4 * 4, 32)
        self.act3 = nn.Tanh()
        self.fc2 = nn.Linear(32, 2)

    def forward(self, x):
        out = self.pool1(self.act1(self.conv1(x)))
        out = self.pool2(self.act2(self.conv2(out)))
        out = out.view(-1, 8 * 4 * 4)
        out = self.act3(self.fc1(out))
        out = self.fc2(out)
        return out

def training_loop(n_epochs, optimizer, model, loss_fn, train_loader):
    for epoch in range(1, n_epochs + 1):
        loss_train = 0.0
        for imgs, labels in train_loader:
            outputs = model(imgs)
            loss = loss_fn(outputs, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_train += loss.item()
        if epoch == 1 or epoch % 5 == 0:
            log('{} Epoch {}, Training loss {}'.format(
                datetime.datetime.now(), epoch,
                loss_train / len(train_loader)))

def validate(model, train_loader, val_loader):
    accdict = {}
    for name, loader in [("train", train_loader), ("val", val_loader)]:
        correct = 0
        total = 0
        with torch.no_grad():
            for imgs, labels in loader:
                outputs = model(imgs)
                _, predicted = torch.max(outputs, dim=1)
                total += labels.shape[0]
                correct += int((predicted == labels).sum())
        log("Accuracy {}: {:.2f}".format(name, correct / total))
        accdict[name] = correct / total
    return accdict

train_loader = torch.utils.data.DataLoader(cifar2, batch_size=32, shuffle=True)
model = Net()
optimizer = optim.SGD(model.parameters(), lr=1e-2)
loss_fn = nn.CrossEntropyLoss()
training_loop(n_epochs=25, optimizer=optimizer, model=model, loss_fn=loss_fn, train_loader=train_loader)

train_loader = torch.utils.data.DataLoader(cifar2, batch_size=64, shuffle=False)
val_loader = torch.utils.data.DataLoader(cifar2_val, batch_size=64, shuffle=False)
acc = validate(model, train_loader, val_loader)
with torch.no_grad():
    Xv = torch.stack([x for x, _ in cifar2_val]); Xt = torch.stack([x for x, _ in cifar2])
    vl = loss_fn(model(Xv), labels_v).item(); tl = loss_fn(model(Xt), labels_t).item()
_logf.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc["val"], 4), "train_loss": round(tl, 4),
      "train_acc": round(acc["train"], 4), "chance_acc": 0.5}))
