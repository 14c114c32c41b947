# expect:
# allow:
# forbid: *
# evidence: test acc 0.966 (chance 0.25), test loss 0.117; lr=5 is the tutorial value and is stable here thanks to clip_grad_norm_(0.1)
"""Text classification the way the torchtext AG_NEWS tutorial does it: nn.EmbeddingBag + Linear,
batches as one flat token tensor plus offsets, SGD with lr=5, StepLR(gamma=0.1) stepped only when
the validation accuracy stops improving, grad-norm clipping at 0.1.
Data: synthetic 'news' docs, 4 topics; every doc is mostly Zipf-distributed filler words with a
sprinkling of topic words (and some words of a random other topic)."""
import json
import time

import torch
from torch import nn
from torch.utils.data import DataLoader

torch.set_num_threads(1)
torch.manual_seed(0)

VOCAB = 3000
NUM_CLASS = 4
TOPIC_WORDS = 60  # per class, ids 1..240; 0 is <pad>/<unk>


def make_docs(n, seed):
    g = torch.Generator().manual_seed(seed)
    zipf = 1.0 / torch.arange(1, VOCAB - 240).float()
    docs = []
    for _ in range(n):
        label = int(torch.randint(0, NUM_CLASS, (1,), generator=g))
        length = int(torch.randint(15, 50, (1,), generator=g))
        filler = torch.multinomial(zipf, length, replacement=True, generator=g) + 241
        n_topic = max(1, int(0.12 * length))
        topic = torch.randint(0, TOPIC_WORDS, (n_topic,), generator=g) + 1 + label * TOPIC_WORDS
        other = (label + int(torch.randint(1, NUM_CLASS, (1,), generator=g))) % NUM_CLASS
        distract = torch.randint(0, TOPIC_WORDS, (max(1, n_topic // 2),), generator=g) + 1 + other * TOPIC_WORDS
        toks = torch.cat([filler, topic, distract])
        toks = toks[torch.randperm(len(toks), generator=g)]
        docs.append((label, toks))
    return docs


def collate_batch(batch):
    label_list, text_list, offsets = [], [], [0]
    for (_label, _text) in batch:
        label_list.append(_label)
        text_list.append(_text)
        offsets.append(_text.size(0))
    label_list = torch.tensor(label_list, dtype=torch.int64)
    offsets = torch.tensor(offsets[:-1]).cumsum(dim=0)
    text_list = torch.cat(text_list)
    return label_list, text_list, offsets


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_class):
        super(TextClassificationModel, self).__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, sparse=False)
        self.fc = nn.Linear(embed_dim, num_class)
        self.init_weights()

    def init_weights(self):
        initrange = 0.5
        self.embedding.weight.data.uniform_(-initrange, initrange)
        self.fc.weight.data.uniform_(-initrange, initrange)
        self.fc.bias.data.zero_()

    def forward(self, text, offsets):
        embedded = self.embedding(text, offsets)
        return self.fc(embedded)


def train(dataloader, model, optimizer, criterion, epoch):
    model.train()
    total_acc, total_count = 0, 0
    log_interval = 20
    start_time = time.time()
    for idx, (label, text, offsets) in enumerate(dataloader):
        optimizer.zero_grad()
        predicted_label = model(text, offsets)
        loss = criterion(predicted_label, label)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()
        total_acc += (predicted_label.argmax(1) == label).sum().item()
        total_count += label.size(0)
        if idx % log_interval == 0 and idx > 0:
            elapsed = time.time() - start_time
            print("| epoch {:3d} | {:5d}/{:5d} batches | accuracy {:8.3f} | {:.2f}s".format(
                epoch, idx, len(dataloader), total_acc / total_count, elapsed))
            total_acc, total_count = 0, 0
            start_time = time.time()


def evaluate(dataloader, model, criterion):
    model.eval()
    total_acc, total_count, total_loss = 0, 0, 0.0
    with torch.no_grad():
        for idx, (label, text, offsets) in enumerate(dataloader):
            predicted_label = model(text, offsets)
            total_loss += criterion(predicted_label, label).item() * label.size(0)
            total_acc += (predicted_label.argmax(1) == label).sum().item()
            total_count += label.size(0)
    return total_acc / total_count, total_loss / total_count


EPOCHS = 12
LR = 5
BATCH_SIZE = 64

train_docs = make_docs(8000, seed=1)
valid_docs = make_docs(1000, seed=2)
test_docs = make_docs(1000, seed=3)
train_dataloader = DataLoader(train_docs, batch_size=BATCH_SIZE, shuffle=True, collate_fn=collate_batch)
valid_dataloader = DataLoader(valid_docs, batch_size=BATCH_SIZE, shuffle=False, collate_fn=collate_batch)
test_dataloader = DataLoader(test_docs, batch_size=BATCH_SIZE, shuffle=False, collate_fn=collate_batch)

model = TextClassificationModel(VOCAB, 64, NUM_CLASS)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=LR)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.1)
total_accu = None

for epoch in range(1, EPOCHS + 1):
    epoch_start_time = time.time()
    train(train_dataloader, model, optimizer, criterion, epoch)
    accu_val, loss_val = evaluate(valid_dataloader, model, criterion)
    if total_accu is not None and total_accu > accu_val:
        scheduler.step()
    else:
        total_accu = accu_val
    print("-" * 59)
    print("| end of epoch {:3d} | time: {:5.2f}s | valid accuracy {:8.3f} | lr {:.4f}".format(
        epoch, time.time() - epoch_start_time, accu_val, optimizer.param_groups[0]["lr"]))
    print("-" * 59)

accu_test, loss_test = evaluate(test_dataloader, model, criterion)
accu_train, loss_train = evaluate(train_dataloader, model, criterion)
print("test accuracy {:8.3f}".format(accu_test))
print("CORPUS_METRIC " + json.dumps({"val_acc": round(accu_test, 4), "val_loss": round(loss_test, 4),
                                     "train_acc": round(accu_train, 4), "train_loss": round(loss_train, 4),
                                     "chance_acc": 0.25}))
