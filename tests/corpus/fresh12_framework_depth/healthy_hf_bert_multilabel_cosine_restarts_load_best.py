"""HF Trainer: a 1-layer BertConfig(hidden 64) built from config for multi-label tagging of synthetic support tickets
(problem_type="multi_label_classification", 4 tags, each fired by its own keyword tokens; ~10% label noise-free
distractor tokens). lr_scheduler_type="cosine_with_restarts" (2 cycles) with warmup, eval_steps=50,
load_best_model_at_end on eval_loss; trainer_state.json written into $CORPUS_LOG_DIR."""
# expect:
# allow:
# forbid: *
# evidence: 4-tag multi-label, chance exact-match 0.18 (all-zero micro acc 0.65): val_exact_match 0.967, val_micro_acc 0.992, val_loss 0.038, last logged train loss 0.024; best model at the final eval
# native-log: trainer_state.json
# log-expect:
# log-allow:
import os, json, random, tempfile, warnings, logging
import numpy as np
import torch
warnings.filterwarnings("ignore")
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging
hf_logging.set_verbosity_error()

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
V, L, K = 120, 12, 4
rng = np.random.default_rng(0)
KEYS = [list(range(10 + 5 * k, 15 + 5 * k)) for k in range(K)]   # 5 keyword ids per tag


def make(n):
    ids = rng.integers(40, V, (n, L))
    lab = (rng.random((n, K)) < 0.35).astype(np.float32)
    for i in range(n):
        for k in range(K):
            if lab[i, k]:
                pos = rng.choice(np.arange(1, L), 2, replace=False)
                ids[i, pos] = rng.choice(KEYS[k], 2)
    ids[:, 0] = 1  # [CLS]
    return ids, lab


class DS(torch.utils.data.Dataset):
    def __init__(self, ids, lab):
        self.ids, self.lab = torch.tensor(ids), torch.tensor(lab)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L, dtype=torch.long), "labels": self.lab[i]}


tr, va = DS(*make(1000)), DS(*make(300))
cfg = BertConfig(vocab_size=V, hidden_size=64, num_hidden_layers=1, num_attention_heads=4, intermediate_size=128,
                 max_position_embeddings=32, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, num_labels=K, problem_type="multi_label_classification")
model = BertForSequenceClassification(cfg)


def metrics(p):
    pred = (p.predictions > 0).astype(np.float32)
    return {"exact_match": float((pred == p.label_ids).all(1).mean()), "micro_acc": float((pred == p.label_ids).mean())}


args = TrainingArguments(output_dir=os.path.join(LOG_DIR, "hf_out"), per_device_train_batch_size=32, per_device_eval_batch_size=300,
                         num_train_epochs=14, learning_rate=6e-3, warmup_steps=15, lr_scheduler_type="cosine_with_restarts",
                         lr_scheduler_kwargs={"num_cycles": 2}, weight_decay=0.01, eval_strategy="steps", eval_steps=50,
                         save_strategy="steps", save_steps=50, save_total_limit=1, load_best_model_at_end=True,
                         metric_for_best_model="eval_loss", logging_steps=5, report_to="none", use_cpu=True,
                         disable_tqdm=True, seed=0, dataloader_num_workers=0, save_only_model=True)
trainer = Trainer(model=model, args=args, train_dataset=tr, eval_dataset=va, compute_metrics=metrics)
trainer.train()
ev = trainer.evaluate()
trainer.state.save_to_json(os.path.join(LOG_DIR, "trainer_state.json"))
trl = [h["loss"] for h in trainer.state.log_history if "loss" in h]
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_exact_match": round(ev["eval_exact_match"], 4),
                                     "val_micro_acc": round(ev["eval_micro_acc"], 4), "train_loss_last": round(trl[-1], 4),
                                     "chance_exact_match": round(0.65 ** 4, 4), "best_step": trainer.state.best_global_step}))
