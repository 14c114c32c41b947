# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, high_bias, dead_units
# forbid: *
# evidence: control (lr=3e-3) reaches eval_accuracy 1.00, val_loss 0.0009; planted (lr=0.05) loss oscillates 0.69-0.91 (never below ln2=0.69 by more than 0.01) with grad_norm spikes to 3.3, eval_accuracy flips 0.5875/0.4125 = always one class (chance 0.5), final val_loss 0.68
# control: --control
# native-log: hf/trainer_state.json
# log-expect: non_convergence
# log-allow: learning_rate_too_high, high_bias
"""Planted learning_rate_too_high: Hugging Face Trainer fine-tuning a tiny BertForSequenceClassification built from a
config (no download) on synthetic "reviews": sequences of filler tokens with a few positive /
negative sentiment tokens; the label is the sign of the sentiment sum (a majority vote of 1-3
sentiment words hidden among 24 tokens). AdamW lr 3e-3 with linear warm-up/decay, eval every epoch, trainer.save_state() writes
trainer_state.json (log_history with loss, grad_norm, learning_rate, eval_loss, eval_accuracy).
Planted: learning_rate=0.05 (AdamW) instead of 3e-3; --control sets 3e-3, nothing else changes."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["WANDB_DISABLED"] = "true"
import numpy as np
CONTROL = '--control' in sys.argv
LR = 3e-3 if CONTROL else 5e-2
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
                         per_device_eval_batch_size=128, learning_rate=LR, warmup_steps=40, lr_scheduler_type="linear",
                         weight_decay=0.01, eval_strategy="epoch", logging_steps=10, save_strategy="no", report_to="none",
                         use_cpu=True, seed=0, disable_tqdm=True, dataloader_num_workers=0)
trainer = Trainer(model=model, args=args, train_dataset=DS(tr_ids, tr_y), eval_dataset=DS(va_ids, va_y), compute_metrics=metrics)
trainer.train()
trainer.save_state()
ev = trainer.evaluate()
tr_ev = trainer.evaluate(DS(tr_ids, tr_y), metric_key_prefix="train")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
                                     "train_loss": round(tr_ev["train_loss"], 4), "chance_acc": 0.5}))
