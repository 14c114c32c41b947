# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, high_bias
# forbid: *
# evidence: planted (lr 0.05) loss spikes 0.59 -> 3.03 at step 20 (grad_norm 15.8) then sits at the majority-tag entropy: val token acc 0.570 = majority 0.570, val_loss 0.881; control (lr 2e-3) val acc 0.950, val_loss 0.088
# control: --control
# native-log: trainer_state.json
# log-expect: learning_rate_too_high
# log-allow: non_convergence, high_bias, exploding_gradients
"""Planted: learning_rate=0.05 (AdamW) instead of 2e-3; --control sets 2e-3 (= healthy_hf_bert_token_tagging). Hugging Face Trainer, tiny BertForTokenClassification (2 layers, hidden 64) built from a
config, on a synthetic tagging task where some tokens' tags depend on the previous token (needs context).
AdamW 2e-3 with warmup + linear decay, eval every epoch."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
os.environ["TOKENIZERS_PARALLELISM"] = "false"
import numpy as np
import torch
from transformers import BertConfig, BertForTokenClassification, Trainer, TrainingArguments, set_seed
from transformers.utils import logging as hf_logging

hf_logging.set_verbosity_error()
torch.set_num_threads(1)
set_seed(0)
CONTROL = "--control" in sys.argv
LR = 2e-3 if CONTROL else 0.05
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
V, T = 40, 16


def make(n, rng):
    ids = rng.integers(5, V, size=(n, T))
    lab = np.where(ids >= 20, 1, 0)
    amb = (ids < 10)
    prev = np.concatenate([np.zeros((n, 1), int), ids[:, :-1]], 1)
    lab = np.where(amb & (prev >= 20), 2, lab)
    return ids, lab


class DS(torch.utils.data.Dataset):
    def __init__(self, ids, lab):
        self.ids, self.lab = torch.tensor(ids), torch.tensor(lab)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long), "labels": self.lab[i]}


rng = np.random.default_rng(0)
tr, va = DS(*make(1000, rng)), DS(*make(300, rng))
cfg = BertConfig(vocab_size=V, hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
                 max_position_embeddings=32, num_labels=3)
model = BertForTokenClassification(cfg)


def metrics(p):
    pred = p.predictions.argmax(-1)
    return {"tok_acc": float((pred == p.label_ids).mean())}


args = TrainingArguments(output_dir=tempfile.mkdtemp(), num_train_epochs=5, per_device_train_batch_size=32,
                         per_device_eval_batch_size=300, learning_rate=LR, warmup_steps=15, weight_decay=0.01,
                         lr_scheduler_type="linear", logging_steps=10, eval_strategy="epoch", save_strategy="no",
                         report_to=[], use_cpu=True, seed=0, disable_tqdm=True)
trainer = Trainer(model=model, args=args, train_dataset=tr, eval_dataset=va, compute_metrics=metrics)
trainer.train()
ev = trainer.evaluate()
trainer.state.save_to_json(os.path.join(LOG_DIR, "trainer_state.json"))
evt = trainer.evaluate(tr, metric_key_prefix="train")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_tok_acc"], 4),
                                     "train_loss": round(evt["train_loss"], 4), "train_acc": round(evt["train_tok_acc"], 4),
                                     "chance_acc": round(float(max(np.bincount(va.lab.flatten().numpy())) / va.lab.numel()), 4)}))
