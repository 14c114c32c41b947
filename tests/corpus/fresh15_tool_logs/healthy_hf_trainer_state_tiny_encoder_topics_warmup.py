"""Topic classification of synthetic token sequences (4 topics, vocab 200, 24 tokens each, every topic
favouring its own 30 words) with a tiny transformer encoder (1 layer, d=32, 2 heads, mean pooling)
trained HF-Trainer style: AdamW 5e-3, warmup_ratio=0.1 then linear decay, max_grad_norm=1.0,
logging_steps=10, eval every epoch; written as out/trainer_state.json (log_history with loss,
grad_norm, learning_rate, eval_loss, eval_accuracy). The loss rises a little during warmup.
"""
# expect:
# allow: high_variance
# forbid: *
# evidence: healthy run: eval_accuracy 0.938 (chance 0.25; a multinomial naive Bayes on word counts gets 0.971 on the same split), eval_loss 0.431 -> 0.179 and flat over the last 2 epochs, grad_norm (pre-clip) 0.27-1.37; allow high_variance because train_loss 0.034 sits below eval_loss 0.179 with only ~0.03 avoidable bias
# native-log: out/trainer_state.json
# log-expect:
# log-allow:
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
OUT = os.path.join(LOG_DIR, "out"); os.makedirs(OUT, exist_ok=True)

V, L, K, N, NTR = 200, 24, 4, 2400, 1920
rng = np.random.RandomState(0)
topic_words = [rng.choice(V, 30, replace=False) for _ in range(K)]
def sample(k):
    w = np.where(rng.rand(L) < 0.35, rng.choice(topic_words[k], L), rng.randint(0, V, L)); return w
y = torch.tensor(rng.randint(0, K, N)); X = torch.tensor(np.stack([sample(int(k)) for k in y]))
Xtr, ytr, Xva, yva = X[:NTR], y[:NTR], X[NTR:], y[NTR:]

class TinyEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32); self.pos = nn.Parameter(torch.zeros(L, 32))
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(32, 2, 64, dropout=0.1, batch_first=True), 1)
        self.cls = nn.Linear(32, K)
    def forward(self, x):
        return self.cls(self.enc(self.emb(x) + self.pos).mean(1))
model = TinyEncoder()
BS, EPOCHS, LR, LOGGING_STEPS = 32, 6, 5e-3, 10
steps_per_epoch = NTR // BS; max_steps = EPOCHS * steps_per_epoch
opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
warm = int(0.1 * max_steps)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s / warm if s < warm else max(0.0, (max_steps - s) / (max_steps - warm)))
log_history = []; gstep = 0; acc_loss = 0.0; all_gn = []; t_start = time.time(); tot_loss = 0.0
for epoch in range(EPOCHS):
    perm = torch.randperm(NTR)
    for i in range(0, NTR, BS):
        model.train(); idx = perm[i:i + BS]
        loss = nn.functional.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0).item(); all_gn.append(gn)
        opt.step(); sched.step(); gstep += 1; acc_loss += loss.item(); tot_loss += loss.item()
        if gstep % LOGGING_STEPS == 0:
            log_history.append({"epoch": round(gstep / steps_per_epoch, 4), "grad_norm": gn, "learning_rate": sched.get_last_lr()[0],
                                "loss": round(acc_loss / LOGGING_STEPS, 4), "step": gstep})
            acc_loss = 0.0
    model.eval(); t = time.time()
    with torch.no_grad():
        ov = model(Xva); vl = nn.functional.cross_entropy(ov, yva).item(); va = (ov.argmax(1) == yva).float().mean().item()
    rt = max(time.time() - t, 1e-3)
    log_history.append({"epoch": float(epoch + 1), "eval_accuracy": va, "eval_loss": vl, "eval_runtime": round(rt, 4), "eval_samples_per_second": round(len(Xva) / rt, 3),
                        "eval_steps_per_second": round(len(Xva) / BS / rt, 3), "step": gstep})
    print(f"epoch {epoch + 1} eval_loss {vl:.4g} eval_accuracy {va:.4f} grad_norm median {np.median(all_gn[-steps_per_epoch:]):.3g} max {max(all_gn[-steps_per_epoch:]):.3g}")
rt = time.time() - t_start
log_history.append({"epoch": float(EPOCHS), "step": gstep, "total_flos": 0.0, "train_loss": tot_loss / gstep, "train_runtime": round(rt, 4),
                    "train_samples_per_second": round(NTR * EPOCHS / rt, 3), "train_steps_per_second": round(gstep / rt, 3)})
state = {"best_metric": None, "best_model_checkpoint": None, "epoch": float(EPOCHS), "eval_steps": 500, "global_step": gstep,
         "is_hyper_param_search": False, "is_local_process_zero": True, "is_world_process_zero": True, "log_history": log_history,
         "logging_steps": LOGGING_STEPS, "max_steps": max_steps, "num_input_tokens_seen": 0, "num_train_epochs": EPOCHS, "save_steps": 500,
         "stateful_callbacks": {"TrainerControl": {"args": {"should_epoch_stop": False, "should_evaluate": False, "should_log": False,
                                "should_save": True, "should_training_stop": True}, "attributes": {}}},
         "total_flos": 0.0, "train_batch_size": BS, "trial_name": None, "trial_params": None}
with open(os.path.join(OUT, "trainer_state.json"), "w") as f: json.dump(state, f, indent=2, sort_keys=True)
with torch.no_grad():
    model.eval(); trl = nn.functional.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "chance_acc": 0.25}))
