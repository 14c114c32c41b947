"""A word-level language model whose vocabulary is too large for per-class label counts
(pytorch/examples' word_language_model on wikitext-2: 33k words, NLLLoss over log-softmax) is a
language model all the same: its class count comes from the loss's input, and its embedding table
has a row per class. The same model over 1,500 classes with a different input width is not."""
from __future__ import annotations

import pytest

from conftest import json_tail, traindx

SCRIPT = '''
import sys
import torch
torch.manual_seed(0)
torch.set_num_threads(1)
vocab = 1500
rows = vocab if sys.argv[1] == "lm" else 40  # "tagger": 40 input symbols, 1500 output classes
tokens = torch.randint(0, rows, (2000,))
targets = tokens[1:] % vocab if rows == vocab else torch.randint(0, vocab, (1999,))
emb, rnn = torch.nn.Embedding(rows, 32), torch.nn.LSTM(32, 32, batch_first=True)
head = torch.nn.Linear(32, vocab)
params = [*emb.parameters(), *rnn.parameters(), *head.parameters()]
opt = torch.optim.Adam(params, lr=3e-3)
for step in range(40):
    i = (step * 35) % 1900
    x, y = tokens[i:i + 35].view(1, 35), targets[i:i + 35].view(1, 35)
    out, _ = rnn(emb(x))
    logp = torch.log_softmax(head(out), -1)
    loss = torch.nn.functional.nll_loss(logp.view(-1, vocab), y.view(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
'''


@pytest.mark.parametrize("kind,task", [("lm", "language_modelling"), ("tagger", "classification")])
def test_a_vocabulary_beyond_label_counts_is_still_a_language_model(tmp_path, kind, task):
    script = tmp_path / "wlm.py"
    script.write_text(SCRIPT)
    proc = traindx("run", "--out", str(tmp_path / kind), "--format", "json", str(script), kind)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert json_tail(proc.stdout)["profile"]["task"] == task
