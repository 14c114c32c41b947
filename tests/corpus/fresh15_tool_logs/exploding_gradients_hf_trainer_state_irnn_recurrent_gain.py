"""ReLU RNN (IRNN) regressing 3*mean(x) of 30-step noise sequences, trained HF-Trainer style
(AdamW, linear lr decay, logging_steps=10, eval every epoch, no clipping) and saved as the Trainer's
out/trainer_state.json (log_history with loss / grad_norm / learning_rate, eval_loss per epoch).
Planted: the recurrent matrix is initialised to 1.3*I instead of the IRNN recipe's 1.0*I, so the
backward pass multiplies by ~1.3 per step over 30 steps and the gradient norm is 10^4-10^6.
--control uses 1.0*I (the only change).
"""
# expect: exploding_gradients
# allow: poor_initialization, non_convergence, high_bias, learning_rate_too_high, non_finite
# forbid: *
# evidence: control (W_hh = 1.0*I) reaches val_mse 0.0019 (target variance 0.272), grad_norm median 1.09, max 9.85; planted (W_hh = 1.3*I) has grad_norm median 1.4e4, max 4.2e6 (epoch-1 median 1.8e5) and ends at val_mse 17.3 - 60x the target variance
# control: --control
# native-log: out/trainer_state.json
# log-expect: exploding_gradients
# log-allow: non_convergence, high_bias, learning_rate_too_high, non_finite
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
OUT = os.path.join(LOG_DIR, "out"); os.makedirs(OUT, exist_ok=True)

T, N, NTR = 30, 2000, 1600
X = torch.randn(N, T, 1); y = X[:, :, 0].mean(1, keepdim=True) * 3
Xtr, ytr, Xva, yva = X[:NTR], y[:NTR], X[NTR:], y[NTR:]
GAIN = 1.0 if CONTROL else 1.3

class IRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, 32, nonlinearity="relu", batch_first=True); self.head = nn.Linear(32, 1)
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(torch.eye(32) * GAIN); self.rnn.bias_hh_l0.zero_(); self.rnn.bias_ih_l0.zero_()
    def forward(self, x):
        out, _ = self.rnn(x); return self.head(out[:, -1])
model = IRNN()
BS, EPOCHS, LR, LOGGING_STEPS = 32, 6, 1e-3, 10
steps_per_epoch = NTR // BS; max_steps = EPOCHS * steps_per_epoch
opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.0)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, (max_steps - s) / max_steps))
log_history = []; gstep = 0; acc_loss = 0.0; all_gn = []; t_start = time.time(); tot_loss = 0.0
for epoch in range(EPOCHS):
    perm = torch.randperm(NTR)
    for i in range(0, NTR, BS):
        model.train(); idx = perm[i:i + BS]
        loss = ((model(Xtr[idx]) - ytr[idx]) ** 2).mean()
        opt.zero_grad(); loss.backward()
        gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()])).item(); all_gn.append(gn)
        opt.step(); sched.step(); gstep += 1; acc_loss += loss.item(); tot_loss += loss.item()
        if gstep % LOGGING_STEPS == 0:
            log_history.append({"epoch": round(gstep / steps_per_epoch, 4), "grad_norm": gn, "learning_rate": sched.get_last_lr()[0],
                                "loss": round(acc_loss / LOGGING_STEPS, 4), "step": gstep})
            acc_loss = 0.0
    model.eval(); t = time.time()
    with torch.no_grad():
        vl = ((model(Xva) - yva) ** 2).mean().item()
    rt = max(time.time() - t, 1e-3)
    log_history.append({"epoch": float(epoch + 1), "eval_loss": vl, "eval_runtime": round(rt, 4), "eval_samples_per_second": round(len(Xva) / rt, 3),
                        "eval_steps_per_second": round(len(Xva) / BS / rt, 3), "step": gstep})
    print(f"epoch {epoch + 1} eval_loss {vl:.4g} grad_norm median {np.median(all_gn[-steps_per_epoch:]):.3g} max {max(all_gn[-steps_per_epoch:]):.3g}")
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
    trl = ((model(Xtr) - ytr) ** 2).mean().item()
print(f"probe: grad_norm median over the run {np.median(all_gn):.3g}, max {max(all_gn):.3g}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 5), "train_mse": round(trl, 5), "target_var": round(yva.var().item(), 4),
                                     "grad_norm_median": float(f"{np.median(all_gn):.3g}"), "grad_norm_max": float(f"{max(all_gn):.3g}")}))
