"""HF Trainer subclass with a custom compute_loss: class-weighted cross-entropy (inverse-frequency weights) for a
skewed 3-intent text task (78% / 16% / 6%; 15% of utterances carry no cue word, so there is a loss floor) on a tiny DistilBertConfig model (dim 48, 2 layers) built from config.
gradient_accumulation_steps=2, lr_scheduler_type="constant_with_warmup", eval_steps, trainer_state.json saved."""
# expect:
# allow:
# forbid: *
# evidence: train counts 921/215/64; majority-class acc 0.80; weighted model val_acc 0.935, val_balanced_acc 0.897 (chance 0.33), minority recall 0.80, eval_loss flat 0.38->0.37 over the last 3 evals (HF logs the accumulated weighted loss, ~2.2 at start)
# native-log: trainer_state.json
# log-expect:
# log-allow:
import os, json, random, tempfile, warnings
import numpy as np
import torch
import torch.nn.functional as F
warnings.filterwarnings("ignore")
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
from transformers import DistilBertConfig, DistilBertForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging
hf_logging.set_verbosity_error()

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
V, L = 100, 12
rng = np.random.default_rng(0)
CUE = {0: range(10, 16), 1: range(16, 22), 2: range(22, 28)}


def make(n):
    y = rng.choice(3, n, p=[0.78, 0.16, 0.06])
    ids = rng.integers(30, V, (n, L)); ids[:, 0] = 1
    for i in range(n):
        if rng.random() < 0.85:  # 15% of utterances carry no cue word at all
            ids[i, rng.integers(1, L)] = rng.choice(list(CUE[y[i]]))
    return ids, y


class DS(torch.utils.data.Dataset):
    def __init__(self, ids, y):
        self.ids, self.y = torch.tensor(ids), torch.tensor(y)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L, dtype=torch.long), "labels": self.y[i]}


tr, va = DS(*make(1200)), DS(*make(400))
counts = np.bincount(tr.y.numpy(), minlength=3)
W = torch.tensor(len(tr) / (3 * counts), dtype=torch.float32)


class WeightedTrainer(Trainer):
    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        labels = inputs.pop("labels")
        out = model(**inputs)
        loss = F.cross_entropy(out.logits, labels, weight=W)
        return (loss, out) if return_outputs else loss


def metrics(p):
    pred = p.predictions.argmax(1); y = p.label_ids
    rec = [float((pred[y == c] == c).mean()) for c in range(3)]
    return {"acc": float((pred == y).mean()), "balanced_acc": float(np.mean(rec)), "minority_recall": rec[2]}


cfg = DistilBertConfig(vocab_size=V, dim=48, n_layers=2, n_heads=4, hidden_dim=96, max_position_embeddings=16,
                       dropout=0.0, attention_dropout=0.0, num_labels=3, seq_classif_dropout=0.1)
model = DistilBertForSequenceClassification(cfg)
args = TrainingArguments(output_dir=os.path.join(LOG_DIR, "hf_out"), per_device_train_batch_size=16, gradient_accumulation_steps=2,
                         per_device_eval_batch_size=400, num_train_epochs=6, learning_rate=1e-3, warmup_steps=20, weight_decay=0.05,
                         lr_scheduler_type="constant_with_warmup", eval_strategy="steps", eval_steps=40, save_strategy="no",
                         logging_steps=10, report_to="none", use_cpu=True, disable_tqdm=True, seed=0)
trainer = WeightedTrainer(model=model, args=args, train_dataset=tr, eval_dataset=va, compute_metrics=metrics)
trainer.train()
ev = trainer.evaluate()
trainer.state.save_to_json(os.path.join(LOG_DIR, "trainer_state.json"))
trl = [h["loss"] for h in trainer.state.log_history if "loss" in h]
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_acc"], 4),
                                     "val_balanced_acc": round(ev["eval_balanced_acc"], 4), "val_minority_recall": round(ev["eval_minority_recall"], 4),
                                     "train_loss_last": round(trl[-1], 4), "majority_acc": round(float((va.y == 0).float().mean()), 4),
                                     "class_counts_train": counts.tolist()}))
