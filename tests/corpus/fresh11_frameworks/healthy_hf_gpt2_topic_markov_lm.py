"""Healthy: Hugging Face Trainer, a tiny GPT-2 (from GPT2Config) language model on a two-topic Markov source.

Every sequence is drawn from one of two sparse first-order Markov chains over 40 symbols (its
"topic"); a good model must infer the topic from the context. The best achievable loss (exact
Bayes predictive, with the topic posterior filtered along the sequence) is computed in the script.
A 2-layer GPT2LMHeadModel (n_embd 48) is trained with warm-up + linear decay; trainer_state.json
is saved to $CORPUS_LOG_DIR.
"""
# expect:
# allow:
# forbid: *
# evidence: eval_loss 1.39 nats/token vs exact Bayes loss 1.19 (unigram baseline 3.56, uniform 3.69); train_loss 1.34 ~ eval
# native-log: trainer_state.json
# log-expect:
# log-allow:
import os, sys, json, math, random, tempfile, warnings
import numpy as np
import torch

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
random.seed(5); np.random.seed(5); torch.manual_seed(5)

from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging
hf_logging.set_verbosity_error()

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_gpt2_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(5)
V, SEQ, K = 40, 32, 4
P = np.zeros((2, V, V))
for z in range(2):
    for a in range(V):
        P[z, a, rng.choice(V, K, replace=False)] = rng.dirichlet(np.ones(K) * 1.5)


def sample(n):
    out = np.zeros((n, SEQ), dtype=np.int64)
    z = rng.integers(0, 2, n)
    out[:, 0] = rng.integers(0, V, n)
    for t in range(1, SEQ):
        cdf = np.cumsum(P[z, out[:, t - 1]], axis=1)
        out[:, t] = (rng.random(n)[:, None] > cdf).sum(1).clip(0, V - 1)
    return out


def bayes_loss(seqs):
    tot = 0.0
    for s in seqs:
        post = np.array([0.5, 0.5])
        for t in range(1, SEQ):
            pz = P[:, s[t - 1], s[t]]
            tot -= math.log(float(post @ pz))
            post = post * pz; post /= post.sum()
    return tot / (len(seqs) * (SEQ - 1))


train_ids, val_ids = sample(1600), sample(200)


class DS(torch.utils.data.Dataset):
    def __init__(self, a):
        self.a = torch.tensor(a)

    def __len__(self):
        return len(self.a)

    def __getitem__(self, i):
        return {"input_ids": self.a[i], "labels": self.a[i]}


cfg = GPT2Config(vocab_size=V, n_positions=SEQ, n_embd=48, n_layer=2, n_head=4, n_inner=96,
                 resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, bos_token_id=0, eos_token_id=0)
model = GPT2LMHeadModel(cfg)
args = TrainingArguments(
    output_dir=os.path.join(LOG_DIR, "hf_out"), max_steps=200, per_device_train_batch_size=32,
    per_device_eval_batch_size=100, learning_rate=4e-3, weight_decay=0.01, warmup_steps=20,
    lr_scheduler_type="linear", eval_strategy="steps", eval_steps=40, logging_steps=10,
    save_strategy="no", report_to="none", disable_tqdm=True, use_cpu=True, seed=5)
trainer = Trainer(model=model, args=args, train_dataset=DS(train_ids), eval_dataset=DS(val_ids))
trainer.train()
ev = trainer.evaluate()
trainer.state.save_to_json(os.path.join(LOG_DIR, "trainer_state.json"))
tr = trainer.evaluate(DS(train_ids[:200]), metric_key_prefix="train")
unigram = np.bincount(train_ids[:, 1:].ravel(), minlength=V) / train_ids[:, 1:].size
uni_loss = float(-np.mean(np.log(unigram[val_ids[:, 1:]])))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "train_loss": round(tr["train_loss"], 4),
                                     "bayes_loss": round(bayes_loss(val_ids), 4), "unigram_loss": round(uni_loss, 4),
                                     "uniform_loss": round(math.log(V), 4)}))
