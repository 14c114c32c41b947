# expect: exploding_gradients
# allow: learning_rate_too_high, non_convergence
# forbid: *
# evidence: 2-layer LSTM LM at lr 20 without clip_grad_norm_: pre-clip grad norm max 8384 (median 0.50), valid ppl 41.6 after epoch 1, test ppl 7.04; control (clip 0.25): max grad norm 1.4, test ppl 3.91
# control: --control
# Word-level language model, after pytorch/examples word_language_model (RNNModel, batchify, get_batch,
# repackage_hidden, manual SGD, lr /= 4 on plateau), on a generated toy corpus. 2-layer LSTM, lr 20.
import argparse
import json
import math
import time

import torch
import torch.nn as nn

parser = argparse.ArgumentParser(description='PyTorch toy-corpus RNN/LSTM Language Model')
parser.add_argument('--emsize', type=int, default=64, help='size of word embeddings')
parser.add_argument('--nhid', type=int, default=96, help='number of hidden units per layer')
parser.add_argument('--nlayers', type=int, default=2, help='number of layers')
parser.add_argument('--lr', type=float, default=20, help='initial learning rate')
parser.add_argument('--control', action='store_true', help='clip gradients at 0.25 as in the reference script')
parser.add_argument('--epochs', type=int, default=6, help="upper epoch limit")
parser.add_argument('--batch_size', type=int, default=20, metavar='N', help='batch size')
parser.add_argument('--bptt', type=int, default=35, help='sequence length')
parser.add_argument('--dropout', type=float, default=0.2, help='dropout applied to layers (0 = no dropout)')
parser.add_argument('--seed', type=int, default=1111, help='random seed')
parser.add_argument('--log-interval', type=int, default=20, metavar='N', help='report interval')
args = parser.parse_args()

torch.set_num_threads(1)
torch.set_flush_denormal(True)
torch.manual_seed(args.seed)
device = torch.device("cpu")

###############################################################################
# Load data (generated: a tiny grammar with agreement, so there is something to learn)
###############################################################################


class Dictionary(object):
    def __init__(self):
        self.word2idx = {}
        self.idx2word = []

    def add_word(self, word):
        if word not in self.word2idx:
            self.idx2word.append(word)
            self.word2idx[word] = len(self.idx2word) - 1
        return self.word2idx[word]

    def __len__(self):
        return len(self.idx2word)


def generate_sentences(n, g):
    dets = ["the", "a", "every", "some"]
    adjs = ["red", "small", "old", "quiet", "bright", "heavy"]
    sing = ["cat", "dog", "bird", "child", "farmer", "robot"]
    plur = ["cats", "dogs", "birds", "children", "farmers", "robots"]
    vs = ["sees", "likes", "chases", "finds"]
    vp = ["see", "like", "chase", "find"]
    places = ["park", "house", "river", "garden"]
    out = []
    for _ in range(n):
        r = lambda k: int(torch.randint(0, k, (1,), generator=g))
        plural = r(2) == 1
        s = ["the" if plural else dets[r(4)]]
        if r(2):
            s.append(adjs[r(6)])
        s.append(plur[r(6)] if plural else sing[r(6)])
        s.append(vp[r(4)] if plural else vs[r(4)])
        s += ["the", (plur if r(2) else sing)[r(6)]]
        if r(3) == 0:
            s += ["in", "the", places[r(4)]]
        s.append("<eos>")
        out.append(s)
    return out


class Corpus(object):
    def __init__(self, g):
        self.dictionary = Dictionary()
        self.train = self.tokenize(generate_sentences(4000, g))
        self.valid = self.tokenize(generate_sentences(500, g))
        self.test = self.tokenize(generate_sentences(500, g))

    def tokenize(self, sents):
        ids = []
        for words in sents:
            for word in words:
                ids.append(self.dictionary.add_word(word))
        return torch.tensor(ids, dtype=torch.int64)


corpus = Corpus(torch.Generator().manual_seed(args.seed))


def batchify(data, bsz):
    nbatch = data.size(0) // bsz
    data = data.narrow(0, 0, nbatch * bsz)
    data = data.view(bsz, -1).t().contiguous()
    return data.to(device)


eval_batch_size = 10
train_data = batchify(corpus.train, args.batch_size)
val_data = batchify(corpus.valid, eval_batch_size)
test_data = batchify(corpus.test, eval_batch_size)

###############################################################################
# Build the model
###############################################################################


class RNNModel(nn.Module):
    """Container module with an encoder, a recurrent module, and a decoder."""

    def __init__(self, ntoken, ninp, nhid, nlayers, dropout=0.5):
        super(RNNModel, self).__init__()
        self.ntoken = ntoken
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout if nlayers > 1 else 0)
        self.decoder = nn.Linear(nhid, ntoken)
        self.init_weights()
        self.nhid = nhid
        self.nlayers = nlayers

    def init_weights(self):
        initrange = 0.1
        nn.init.uniform_(self.encoder.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -initrange, initrange)

    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output)
        decoded = decoded.view(-1, self.ntoken)
        return nn.functional.log_softmax(decoded, dim=1), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        return (weight.new_zeros(self.nlayers, bsz, self.nhid),
                weight.new_zeros(self.nlayers, bsz, self.nhid))


ntokens = len(corpus.dictionary)
model = RNNModel(ntokens, args.emsize, args.nhid, args.nlayers, args.dropout).to(device)
criterion = nn.NLLLoss()

###############################################################################
# Training code
###############################################################################


def repackage_hidden(h):
    """Wraps hidden states in new Tensors, to detach them from their history."""
    if isinstance(h, torch.Tensor):
        return h.detach()
    else:
        return tuple(repackage_hidden(v) for v in h)


def get_batch(source, i):
    seq_len = min(args.bptt, len(source) - 1 - i)
    data = source[i:i + seq_len]
    target = source[i + 1:i + 1 + seq_len].view(-1)
    return data, target


def evaluate(data_source):
    model.eval()
    total_loss = 0.
    hidden = model.init_hidden(eval_batch_size)
    with torch.no_grad():
        for i in range(0, data_source.size(0) - 1, args.bptt):
            data, targets = get_batch(data_source, i)
            output, hidden = model(data, hidden)
            hidden = repackage_hidden(hidden)
            total_loss += len(data) * criterion(output, targets).item()
    return total_loss / (len(data_source) - 1)


def train():
    model.train()
    total_loss = 0.
    start_time = time.time()
    hidden = model.init_hidden(args.batch_size)
    for batch, i in enumerate(range(0, train_data.size(0) - 1, args.bptt)):
        data, targets = get_batch(train_data, i)
        # Starting each batch, we detach the hidden state from how it was previously produced.
        # If we didn't, the model would try backpropagating all the way to start of the dataset.
        model.zero_grad()
        hidden = repackage_hidden(hidden)
        output, hidden = model(data, hidden)
        loss = criterion(output, targets)
        loss.backward()

        gnorm = math.sqrt(sum(float(p.grad.pow(2).sum()) for p in model.parameters()))
        grad_norms.append(gnorm)
        if args.control:
            torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
        for p in model.parameters():
            p.data.add_(p.grad, alpha=-lr)

        total_loss += loss.item()

        if batch % args.log_interval == 0 and batch > 0:
            cur_loss = total_loss / args.log_interval
            elapsed = time.time() - start_time
            print('| epoch {:3d} | {:5d}/{:5d} batches | lr {:02.2f} | ms/batch {:5.2f} | '
                  'loss {:5.2f} | ppl {:8.2f}'.format(
                      epoch, batch, len(train_data) // args.bptt, lr,
                      elapsed * 1000 / args.log_interval, cur_loss, math.exp(cur_loss)))
            total_loss = 0
            start_time = time.time()


lr = args.lr
best_val_loss = None
grad_norms = []
for epoch in range(1, args.epochs + 1):
    epoch_start_time = time.time()
    train()
    val_loss = evaluate(val_data)
    print('-' * 89)
    print('| end of epoch {:3d} | time: {:5.2f}s | valid loss {:5.2f} | '
          'valid ppl {:8.2f}'.format(epoch, (time.time() - epoch_start_time), val_loss, math.exp(val_loss)))
    print('-' * 89)
    if not best_val_loss or val_loss < best_val_loss:
        best_val_loss = val_loss
    else:
        # Anneal the learning rate if no improvement has been seen in the validation dataset.
        lr /= 4.0

test_loss = evaluate(test_data)
train_loss = evaluate(batchify(corpus.train[:6000], eval_batch_size))
print('=' * 89)
print('| End of training | test loss {:5.2f} | test ppl {:8.2f}'.format(test_loss, math.exp(test_loss)))
print('=' * 89)
gn = torch.tensor(grad_norms)
print('grad-norm probe (before any clipping): median {:.3f}, max {:.1f}, batches with norm > 10: {}'.format(
    gn.median().item(), gn.max().item(), int((gn > 10).sum())))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_ppl": round(math.exp(test_loss), 3),
                                     "train_loss": round(train_loss, 4), "vocab": ntokens,
                                     "uniform_ppl": ntokens, "max_grad_norm": round(gn.max().item(), 2)}))
