"""HF Trainer regression head: RobertaConfig (hidden 48, 1 layer) from config, problem_type="regression", num_labels=1,
predicting a repair job's duration in minutes from its sequence of task-code tokens. Targets (minutes, mean ~170)
are standardised with train statistics and de-standardised for reporting. gradient_accumulation_steps=4,
lr_scheduler_type="polynomial" (power 2) with warmup, eval_steps, load_best_model_at_end; trainer_state.json saved."""
# expect:
# allow:
# forbid: *
# evidence: standardised target var 1.0: val_mse 0.056 (R2 ~0.94); val RMSE 10.8 min vs target sd 46.8 min and label-noise sd 8 min
# native-log: trainer_state.json
# log-expect:
# log-allow:
import os, json, random, tempfile, warnings
import numpy as np
import torch
warnings.filterwarnings("ignore")
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
from transformers import RobertaConfig, RobertaForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging
hf_logging.set_verbosity_error()

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
V, L = 60, 10
rng = np.random.default_rng(0)
minutes_per_code = np.r_[np.zeros(4), rng.uniform(5, 40, V - 4)]  # ids 0-3 special/pad


def make(n):
    lens = rng.integers(3, L - 1, n)
    ids = np.full((n, L), 1); mask = np.zeros((n, L), dtype=np.int64)
    y = np.zeros(n)
    for i in range(n):
        codes = rng.integers(4, V, lens[i])
        ids[i, 0] = 0; ids[i, 1:1 + lens[i]] = codes; ids[i, 1 + lens[i]] = 2; mask[i, :2 + lens[i]] = 1
        y[i] = 30 + minutes_per_code[codes].sum() + rng.normal(0, 8)
    return ids, mask, y


(itr, mtr, ytr), (iva, mva, yva) = make(1500), make(400)
MU, SD = ytr.mean(), ytr.std()


class DS(torch.utils.data.Dataset):
    def __init__(self, ids, m, y):
        self.ids, self.m, self.y = torch.tensor(ids), torch.tensor(m), torch.tensor((y - MU) / SD, dtype=torch.float32)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.m[i], "labels": self.y[i]}


tr, va = DS(itr, mtr, ytr), DS(iva, mva, yva)
cfg = RobertaConfig(vocab_size=V, hidden_size=48, num_hidden_layers=1, num_attention_heads=4, intermediate_size=96,
                    max_position_embeddings=L + 4, pad_token_id=1, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                    num_labels=1, problem_type="regression")
model = RobertaForSequenceClassification(cfg)
args = TrainingArguments(output_dir=os.path.join(LOG_DIR, "hf_out"), per_device_train_batch_size=8, gradient_accumulation_steps=4,
                         per_device_eval_batch_size=400, num_train_epochs=6, learning_rate=3e-3, warmup_steps=0.05,
                         lr_scheduler_type="polynomial", lr_scheduler_kwargs={"power": 2.0, "lr_end": 1e-5},
                         eval_strategy="steps", eval_steps=47, save_strategy="steps", save_steps=47, save_total_limit=1,
                         load_best_model_at_end=True, metric_for_best_model="eval_loss", save_only_model=True,
                         logging_steps=10, report_to="none", use_cpu=True, disable_tqdm=True, seed=0)
trainer = Trainer(model=model, args=args, train_dataset=tr, eval_dataset=va)
trainer.train()
ev = trainer.evaluate()
trainer.state.save_to_json(os.path.join(LOG_DIR, "trainer_state.json"))
pred = trainer.predict(va).predictions.reshape(-1) * SD + MU
trl = [h["loss"] for h in trainer.state.log_history if "loss" in h]
print("CORPUS_METRIC " + json.dumps({"val_mse": round(ev["eval_loss"], 4), "target_var": 1.0, "val_rmse_minutes": round(float(np.sqrt(((pred - yva) ** 2).mean())), 2),
                                     "target_sd_minutes": round(float(yva.std()), 2), "noise_sd_minutes": 8.0, "train_loss_last": round(trl[-1], 4)}))
