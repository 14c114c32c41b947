# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, exploding_gradients, high_bias, dead_units
# forbid: *
# evidence: planted (raw features, column means 0.004..856): epoch-1 train loss 56.0, then stuck at 0.666, val_acc 0.626 = majority 0.626; control (StandardScaler) val_acc 0.988, val_loss 0.055
# control: --control
# native-log: zhurnal_rak.log
# log-expect:
# log-allow: non_convergence, learning_rate_too_high, high_bias, unnormalized_inputs
"""Диагностика рака груди (load_breast_cancer). Признаки в исходных единицах (площадь ~ сотни-тысячи,
гладкость ~ 0.1) — забыли StandardScaler. --control: признаки стандартизированы."""
import os, sys, json, random, logging, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(9); np.random.seed(9); random.seed(9)
КОНТРОЛЬ = "--control" in sys.argv
каталог = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(каталог, exist_ok=True)
logging.basicConfig(level=logging.INFO, format="%(levelname)s:%(name)s: %(message)s",
                    handlers=[logging.StreamHandler(sys.stderr), logging.FileHandler(os.path.join(каталог, "zhurnal_rak.log"), encoding="utf-8")])
лог = logging.getLogger("рак")

X, y = load_breast_cancer(return_X_y=True)
X_об, X_пр, y_об, y_пр = train_test_split(X, y, test_size=0.3, random_state=9, stratify=y)
if КОНТРОЛЬ:
    ск = StandardScaler().fit(X_об); X_об, X_пр = ск.transform(X_об), ск.transform(X_пр)
лог.info("Масштаб признаков: min среднего %.4f, max среднего %.1f", np.abs(X_об.mean(0)).min(), np.abs(X_об.mean(0)).max())
X_об = torch.tensor(X_об, dtype=torch.float32); X_пр = torch.tensor(X_пр, dtype=torch.float32)
y_об = torch.tensor(y_об, dtype=torch.float32); y_пр = torch.tensor(y_пр, dtype=torch.float32)

модель = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))
опт = torch.optim.SGD(модель.parameters(), lr=0.01, momentum=0.9)
for эпоха in range(1, 31):
    модель.train(); порядок = torch.randperm(len(X_об)); сумма = 0.0
    for i in range(0, len(X_об), 32):
        b = порядок[i:i + 32]
        потери = F.binary_cross_entropy_with_logits(модель(X_об[b]).squeeze(1), y_об[b])
        опт.zero_grad(); потери.backward(); опт.step(); сумма += потери.item() * len(b)
    модель.eval()
    with torch.no_grad():
        л = модель(X_пр).squeeze(1); вп = F.binary_cross_entropy_with_logits(л, y_пр).item(); точн = ((л > 0).float() == y_пр).float().mean().item()
    лог.info("Эпоха %d: потери %.4f, val_loss %.4f, точность %.3f", эпоха, сумма / len(X_об), вп, точн)
доля = float(max(y_пр.mean(), 1 - y_пр.mean()))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(вп, 4) if np.isfinite(вп) else None, "val_acc": round(точн, 4), "train_loss": round(сумма / len(X_об), 4) if np.isfinite(сумма) else None, "chance_acc": round(доля, 4)}))
