# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 0.997 (chance 0.33), val_loss 0.032, train_loss 0.032
# native-log: vit_out/trainer_state.json
# log-expect:
# log-allow:
# Tiny ViTConfig image classifier (random init, no download) trained with HF Trainer:
# gradient_accumulation_steps=2, max_grad_norm=1.0, constant_with_warmup schedule.
# Task: 12x12 single-channel images, class = which of 3 shapes (cross, box outline, diagonal) + noise.
import os, json, tempfile, warnings
warnings.filterwarnings("ignore"); os.environ["TRANSFORMERS_VERBOSITY"] = "error"
import torch
from transformers import ViTConfig, ViTForImageClassification, Trainer, TrainingArguments, set_seed
torch.set_num_threads(1); set_seed(14)
output_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "vit_out")
def shapes(n, seed):
    g = torch.Generator().manual_seed(seed)
    base = torch.zeros(3, 12, 12)
    base[0, 5:7, :] = 1; base[0, :, 5:7] = 1
    base[1, 1, 1:11] = 1; base[1, 10, 1:11] = 1; base[1, 1:11, 1] = 1; base[1, 1:11, 10] = 1
    base[2] = torch.eye(12) + torch.eye(12).flip(0) * 0
    y = torch.randint(0, 3, (n,), generator=g)
    sh = torch.randint(-1, 2, (n, 2), generator=g)
    x = torch.stack([torch.roll(base[c], (int(a), int(b)), (0, 1)) for c, (a, b) in zip(y.tolist(), sh.tolist())])
    return (x + 0.5 * torch.randn(n, 12, 12, generator=g))[:, None], y
xtr, ytr = shapes(900, 0); xva, yva = shapes(300, 1)
class DS(torch.utils.data.Dataset):
    def __init__(s, x, y): s.x, s.y = x, y
    def __len__(s): return len(s.y)
    def __getitem__(s, i): return {"pixel_values": s.x[i], "labels": s.y[i]}
model = ViTForImageClassification(ViTConfig(image_size=12, patch_size=4, num_channels=1, hidden_size=32, num_hidden_layers=2,
                                            num_attention_heads=2, intermediate_size=64, num_labels=3))
args = TrainingArguments(output_dir, num_train_epochs=4, per_device_train_batch_size=16, gradient_accumulation_steps=2, max_grad_norm=1.0,
                         learning_rate=2e-3, lr_scheduler_type="constant_with_warmup", warmup_steps=10, logging_steps=5,
                         eval_strategy="epoch", save_strategy="no", report_to="none", use_cpu=True, disable_tqdm=True, seed=14)
trainer = Trainer(model=model, args=args, train_dataset=DS(xtr, ytr), eval_dataset=DS(xva, yva),
                  compute_metrics=lambda p: {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())})
trainer.train(); trainer.save_state()
model.eval()
with torch.no_grad():
    lv = model(pixel_values=xva).logits; lt = model(pixel_values=xtr).logits
ce = torch.nn.functional.cross_entropy
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ce(lv, yva).item(), 4), "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
                                     "train_loss": round(ce(lt, ytr).item(), 4), "chance_acc": 0.3333}))
