"""Fine-grained LM experiment: a tiny GPT-2 trained with the HF Trainer for 150 steps on a
corpus that, because of a bad glob in the data loader, contains only 30 documents instead of
the 1500 generated. No dropout, no weight decay: the model memorises the 30 documents and the
eval loss turns upward while the training loss keeps falling. Eval every 25 steps,
trainer_state.json in $CORPUS_LOG_DIR.

--control trains on the full 1500-document corpus with identical settings.
"""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: control (1500 docs) eval_loss falls monotonically to 0.78 (train 0.77, uniform 3.18); planted (30 docs) train loss -> 0.06 while eval_loss bottoms at 1.10 (step 30) and then climbs at every eval to 2.27
# control: --control
# native-log: trainer_state.json
# log-expect: overfitting
# log-allow: high_variance
import argparse
import glob
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)

VOCAB, CTX = 24, 24
_r = np.random.default_rng(5)
NEXT = _r.integers(0, VOCAB, (VOCAB, 3))
P = np.array([0.65, 0.25, 0.10])


def write_corpus(root, n_docs, seed):
    rng = np.random.default_rng(seed)
    for d in range(n_docs):
        toks = [int(rng.integers(VOCAB))]
        for _ in range(CTX - 1):
            toks.append(int(NEXT[toks[-1], rng.choice(3, p=P)]))
        sub = os.path.join(root, f"shard{d // 1000}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"doc{d:05d}.txt"), "w") as f:
            f.write(" ".join(map(str, toks)))


def load(pattern):
    docs = []
    for path in sorted(glob.glob(pattern)):
        ids = torch.tensor([int(t) for t in open(path).read().split()])
        docs.append({"input_ids": ids, "labels": ids.clone()})
    return docs


ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()

root = tempfile.mkdtemp()
write_corpus(os.path.join(root, "train"), 1500, 0)
write_corpus(os.path.join(root, "eval"), 120, 1)
# intended "train/*/doc*.txt"; the planted pattern only matches shard0/doc00000-doc00029
train_glob = "train/*/doc*.txt" if args.control else "train/shard0/doc000[0-2]?.txt"
train_docs = load(os.path.join(root, train_glob))
eval_docs = load(os.path.join(root, "eval/*/doc*.txt"))

torch.manual_seed(0)
lm = GPT2LMHeadModel(GPT2Config(vocab_size=VOCAB, n_positions=CTX, n_embd=96, n_layer=2, n_head=4,
                                resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0))
targs = TrainingArguments(output_dir=os.path.join(root, "out"), max_steps=150, per_device_train_batch_size=24,
                          learning_rate=2e-3, lr_scheduler_type="constant", weight_decay=0.0,
                          eval_strategy="steps", eval_steps=15, logging_steps=10, save_strategy="no",
                          report_to="none", disable_tqdm=True, use_cpu=True, seed=0)
trainer = Trainer(model=lm, args=targs, train_dataset=train_docs, eval_dataset=eval_docs)
trainer.train()
ev = trainer.evaluate()
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)
trainer.state.save_to_json(os.path.join(logdir, "trainer_state.json"))
train_loss = trainer.predict(train_docs[:120]).metrics["test_loss"]
best_eval = min(h["eval_loss"] for h in trainer.state.log_history if "eval_loss" in h)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "best_val_loss": round(best_eval, 4),
                                     "train_loss": round(train_loss, 4), "n_train_docs": len(train_docs),
                                     "uniform_loss": round(float(np.log(VOCAB)), 4)}))
