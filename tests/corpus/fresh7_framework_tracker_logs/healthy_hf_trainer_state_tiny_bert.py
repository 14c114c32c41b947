# expect:
# allow:
# forbid: *
# evidence: eval_accuracy per epoch 0.885, 0.975, 0.998, 1.0, 1.0 (chance 0.5); final val_loss 0.0009, train_loss 0.0009
# native-log: hf/trainer_state.json
# log-expect:
# log-allow:
"""Healthy: Hugging Face Trainer fine-tuning a tiny BertForSequenceClassification built from a
config (no download) on synthetic "reviews": sequences of filler tokens with a few positive /
negative sentiment tokens; the label is the sign of the sentiment sum (a majority vote of 1-3
sentiment words hidden among 24 tokens). AdamW lr 3e-3 with linear warm-up/decay, eval every epoch, trainer.save_state() writes
trainer_state.json (log_history with loss, grad_norm, learning_rate, eval_loss, eval_accuracy).
Nothing planted."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["WANDB_DISABLED"] = "true"
import numpy as np
import torch
torch.set_num_threads(1)
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging
hf_logging.set_verbosity_error()

LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
torch.manual_seed(0)
rng = np.random.default_rng(0)
V, L = 200, 24
POS, NEG, NOT = list(range(10, 20)), list(range(20, 30)), 5
def make(n):
    ids = rng.integers(30, V, (n, L))
    ys = []
    for r in ids:
        k = rng.integers(1, 4)
        score = 0
        for p in rng.choice(np.arange(1, L - 1), k, replace=False):
            s = rng.choice([1, -1])
            r[p] = rng.choice(POS if s > 0 else NEG)
            rng.random()  # spare draw (keeps the data stream of the version that also drew negations)
            score += s
        if score == 0:
            r[1] = rng.choice(POS); r[0] = 30; score = 1
        ys.append(int(score > 0))
    ids[:, 0] = 2  # [CLS]-like token
    return ids, np.array(ys)

class DS(torch.utils.data.Dataset):
    def __init__(self, ids, y): self.ids, self.y = torch.tensor(ids), torch.tensor(y)
    def __len__(self): return len(self.y)
    def __getitem__(self, i): return {"input_ids": self.ids[i], "attention_mask": torch.ones(L, dtype=torch.long), "labels": self.y[i]}

tr_ids, tr_y = make(1600); va_ids, va_y = make(400)
cfg = BertConfig(vocab_size=V, hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
                 max_position_embeddings=L, num_labels=2, hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)
model = BertForSequenceClassification(cfg)

def metrics(p):
    return {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())}

args = TrainingArguments(output_dir=os.path.join(LOGDIR, "hf"), num_train_epochs=5, per_device_train_batch_size=32,
                         per_device_eval_batch_size=128, learning_rate=3e-3, warmup_steps=40, lr_scheduler_type="linear",
                         weight_decay=0.01, eval_strategy="epoch", logging_steps=10, save_strategy="no", report_to="none",
                         use_cpu=True, seed=0, disable_tqdm=True, dataloader_num_workers=0)
trainer = Trainer(model=model, args=args, train_dataset=DS(tr_ids, tr_y), eval_dataset=DS(va_ids, va_y), compute_metrics=metrics)
trainer.train()
trainer.save_state()
ev = trainer.evaluate()
tr_ev = trainer.evaluate(DS(tr_ids, tr_y), metric_key_prefix="train")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
                                     "train_loss": round(tr_ev["train_loss"], 4), "chance_acc": 0.5}))
