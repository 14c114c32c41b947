# expect:
# allow:
# forbid: *
# evidence: student val_acc 0.959 (teacher 0.967), student val CE 0.146 still decreasing at the end, train CE 0.046; chance 0.10
# native-log: student_metrics.csv
# log-expect:
# log-allow:
"""Knowledge distillation on digits: a wide teacher is trained first, then a
narrow student is trained against the teacher's temperature-softened outputs
plus the hard labels. The distillation loss is written out from tensor ops.
Student epochs are logged to a CSV file."""
import csv
import json
import os
import tempfile
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(17)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="distill_")
os.makedirs(LOG_DIR, exist_ok=True)

data = load_digits()
x_train, x_test, y_train, y_test = train_test_split(data.data, data.target, test_size=0.3, random_state=8,
                                                    stratify=data.target)
x_train = torch.tensor(x_train / 16.0 - 0.3, dtype=torch.float32)
x_test = torch.tensor(x_test / 16.0 - 0.3, dtype=torch.float32)
y_train, y_test = torch.tensor(y_train), torch.tensor(y_test)


def log_softmax(z, dim=-1):
    z = z - z.max(dim=dim, keepdim=True).values
    return z - z.exp().sum(dim=dim, keepdim=True).log()


def distill_loss(student_logits, teacher_logits, labels, T=4.0, alpha=0.7):
    p_t = log_softmax(teacher_logits / T).exp()
    kl = (p_t * (log_softmax(teacher_logits / T) - log_softmax(student_logits / T))).sum(-1).mean()
    hard = -log_softmax(student_logits).gather(1, labels[:, None]).mean()
    return alpha * T * T * kl + (1 - alpha) * hard


def accuracy(m, x, y):
    with torch.no_grad():
        return (m(x).argmax(1) == y).float().mean().item()


teacher = nn.Sequential(nn.Linear(64, 512), nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 512), nn.ReLU(),
                        nn.Dropout(0.2), nn.Linear(512, 10))
t_opt = torch.optim.Adam(teacher.parameters(), lr=1e-3)
for ep in range(12):
    teacher.train()
    for idx in torch.randperm(len(x_train)).split(64):
        t_opt.zero_grad()
        nn.functional.cross_entropy(teacher(x_train[idx]), y_train[idx]).backward()
        t_opt.step()
teacher.eval()
print(f"teacher test acc {accuracy(teacher, x_test, y_test):.4f}")
with torch.no_grad():
    t_logits_train = teacher(x_train)

student = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
s_opt = torch.optim.Adam(student.parameters(), lr=3e-3)
with open(os.path.join(LOG_DIR, "student_metrics.csv"), "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["epoch", "train_loss", "val_loss", "val_acc", "lr"])
    for ep in range(30):
        student.train()
        run, n = 0.0, 0
        for idx in torch.randperm(len(x_train)).split(32):
            s_opt.zero_grad()
            loss = distill_loss(student(x_train[idx]), t_logits_train[idx], y_train[idx])
            loss.backward()
            s_opt.step()
            run += loss.item() * len(idx)
            n += len(idx)
        student.eval()
        with torch.no_grad():
            out = student(x_test)
            val_loss = nn.functional.cross_entropy(out, y_test).item()
            val_acc = (out.argmax(1) == y_test).float().mean().item()
        w.writerow([ep, f"{run / n:.5f}", f"{val_loss:.5f}", f"{val_acc:.4f}", s_opt.param_groups[0]["lr"]])
        print(f"student epoch {ep:2d} distill_loss {run / n:.4f} val_ce {val_loss:.4f} val_acc {val_acc:.4f}")

with torch.no_grad():
    train_ce = nn.functional.cross_entropy(student(x_train), y_train).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(train_ce, 4), "chance_acc": 0.1,
                                     "teacher_val_acc": round(accuracy(teacher, x_test, y_test), 4)}))
