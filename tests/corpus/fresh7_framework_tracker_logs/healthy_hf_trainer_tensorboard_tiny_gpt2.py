# expect:
# allow:
# forbid: *
# evidence: train/loss 3.58 -> 0.39, eval/loss 1.41 -> 0.377 (uniform ln V = 3.95; eval ppl 1.46), train loss on a 200-sentence subset 0.377 = eval: no gap; lr warm-up then cosine to 0
# native-log: hf_gpt2/tb
# log-expect:
# log-allow:
"""Healthy: Hugging Face Trainer training a tiny GPT-2 (2 layers, d=64, built from GPT2Config,
no download) as a causal LM on a synthetic templated "weather report" language (fixed grammar
with random slot words), report_to="tensorboard" so the Trainer's TensorBoard callback writes
train/loss, train/grad_norm, train/learning_rate, eval/loss. AdamW lr 3e-3, cosine schedule with
warm-up. Eval loss falls from ln(V) towards the entropy of the slot choices. Nothing planted."""
import os, sys, json, math, tempfile, warnings
warnings.filterwarnings("ignore")
os.environ["WANDB_DISABLED"] = "true"
import numpy as np
import torch
torch.set_num_threads(1)
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging
hf_logging.set_verbosity_error()
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
torch.manual_seed(19)
rng = np.random.default_rng(19)

words = ("<bos> <eos> in the morning afternoon evening it will be sunny cloudy rainy windy foggy with a high low of "
         "zero one two three four five six seven eight nine ten degrees and wind from north south east west at km/h . "
         "expect light heavy showers later tomorrow today city coast mountains").split()
W = {w: i for i, w in enumerate(words)}
V = len(words)
num = "zero one two three four five six seven eight nine ten".split()
def sentence():
    s = ["<bos>", "in", "the", rng.choice(["city", "coast", "mountains"]), rng.choice(["today", "tomorrow"]), "it", "will", "be",
         rng.choice(["sunny", "cloudy", "rainy", "windy", "foggy"]), "with", "a", "high", "of", rng.choice(num), "degrees", "and",
         "wind", "from", "the", rng.choice(["north", "south", "east", "west"]), "at", rng.choice(num), "km/h", "."]
    if s[8] in ("rainy", "cloudy"): s += ["expect", rng.choice(["light", "heavy"]), "showers", "later", "."]
    s += ["<eos>"]
    return [W[w] for w in s]
L = 32
def make(n):
    out = np.full((n, L), W["<eos>"])
    for i in range(n):
        s = sentence()[:L]; out[i, :len(s)] = s
    return torch.tensor(out)
class DS(torch.utils.data.Dataset):
    def __init__(self, ids): self.ids = ids
    def __len__(self): return len(self.ids)
    def __getitem__(self, i): return {"input_ids": self.ids[i], "labels": self.ids[i]}
tr, va = DS(make(800)), DS(make(200))
cfg = GPT2Config(vocab_size=V, n_positions=L, n_embd=64, n_layer=2, n_head=4, bos_token_id=0, eos_token_id=1)
model = GPT2LMHeadModel(cfg)
out = os.path.join(LOGDIR, "hf_gpt2")
kw = dict(output_dir=out, num_train_epochs=3, per_device_train_batch_size=32, per_device_eval_batch_size=100, learning_rate=3e-3,
          warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01, eval_strategy="steps", eval_steps=20, logging_steps=5,
          save_strategy="no", report_to=["tensorboard"], use_cpu=True, seed=19, disable_tqdm=True)
try:
    args = TrainingArguments(logging_dir=os.path.join(out, "tb"), **kw)
except TypeError:
    os.environ["TENSORBOARD_LOGGING_DIR"] = os.path.join(out, "tb"); args = TrainingArguments(**kw)
trainer = Trainer(model=model, args=args, train_dataset=tr, eval_dataset=va)
trainer.train()
ev = trainer.evaluate(); tev = trainer.evaluate(DS(tr.ids[:200]), metric_key_prefix="train")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "train_loss": round(tev["train_loss"], 4), "val_ppl": round(math.exp(ev["eval_loss"]), 3), "uniform_loss": round(math.log(V), 4)}))
