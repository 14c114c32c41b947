# expect:
# allow:
# forbid: *
# evidence: healthy plateau at the noise floor: moons noise 0.35, test loss 0.284 flat from ep20 to ep40, test acc 0.874 (train 0.893) vs RBF-SVM reference 0.884 on the same 500 test points (chance 0.5)
# Exercise 2.3: very noisy two moons. Accuracy gets stuck at ~87% no matter what I do...
# (answer: the classes overlap, compare with an RBF-SVM which is close to the best possible here)
import json
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_moons
from sklearn.svm import SVC

torch.set_num_threads(1)
torch.manual_seed(8)

X, y = make_moons(n_samples=2000, noise=0.35, random_state=8)
X_train, y_train = X[:1500], y[:1500]
X_test, y_test = X[1500:], y[1500:]

svm_acc = SVC(C=1.0, gamma="scale").fit(X_train, y_train).score(X_test, y_test)
print("SVM reference accuracy:", svm_acc)

X_train_t = torch.FloatTensor(X_train)
y_train_t = torch.FloatTensor(y_train).view(-1, 1)
X_test_t = torch.FloatTensor(X_test)
y_test_t = torch.FloatTensor(y_test).view(-1, 1)

model = nn.Sequential(
    nn.Linear(2, 16),
    nn.Tanh(),
    nn.Linear(16, 16),
    nn.Tanh(),
    nn.Linear(16, 1),
)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.005)

num_epochs = 40
for epoch in range(num_epochs):
    permutation = torch.randperm(X_train_t.size()[0])
    epoch_loss = 0
    for i in range(0, X_train_t.size()[0], 50):
        indices = permutation[i:i + 50]
        batch_x, batch_y = X_train_t[indices], y_train_t[indices]
        optimizer.zero_grad()
        outputs = model(batch_x)
        loss = criterion(outputs, batch_y)
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item()
    epoch_loss = epoch_loss / (X_train_t.size()[0] / 50)

    with torch.no_grad():
        test_out = model(X_test_t)
        test_loss = criterion(test_out, y_test_t).item()
        test_acc = ((test_out > 0).float() == y_test_t).float().mean().item()
        train_acc = ((model(X_train_t) > 0).float() == y_train_t).float().mean().item()
    if (epoch + 1) % 4 == 0:
        print('Epoch [{}/{}], Loss: {:.4f}, Train Acc: {:.4f}, Test Loss: {:.4f}, Test Acc: {:.4f}'.format(
            epoch + 1, num_epochs, epoch_loss, train_acc, test_loss, test_acc))

print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
                                     "train_loss": round(epoch_loss, 4), "train_acc": round(train_acc, 4),
                                     "chance_acc": 0.5, "svm_reference_acc": round(float(svm_acc), 4)}))
