# expect:
# allow:
# forbid: *
# evidence: healthy diabetes regression (standardised target): val_mse 0.502 vs target var 0.969, R2 0.482; LinearRegression on the same split R2 0.459, GradientBoosting 0.338 - this is about the ceiling for load_diabetes
# native-log: obuchenie.log
# log-expect:
# log-allow:
"""Регрессия на load_diabetes: небольшая MLP, Adam, ReduceLROnPlateau.
Журнал пишется через logging (консоль + файл). Цель стандартизирована, шум в данных большой,
поэтому R^2 около 0.5 — это нормальный потолок для этого набора."""
import os, sys, json, random, logging, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(8); np.random.seed(8); random.seed(8)

каталог = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(каталог, exist_ok=True)
журнал = logging.getLogger("обучение")
журнал.setLevel(logging.INFO)
формат = logging.Formatter("%(asctime)s [%(levelname)s] %(message)s")
for обработчик in (logging.StreamHandler(sys.stderr), logging.FileHandler(os.path.join(каталог, "obuchenie.log"), encoding="utf-8")):
    обработчик.setFormatter(формат); журнал.addHandler(обработчик)

X, y = load_diabetes(return_X_y=True)
X_об, X_пр, y_об, y_пр = train_test_split(X, y, test_size=0.25, random_state=8)
sx = StandardScaler().fit(X_об); среднее, ско = y_об.mean(), y_об.std()
X_об = torch.tensor(sx.transform(X_об), dtype=torch.float32); X_пр = torch.tensor(sx.transform(X_пр), dtype=torch.float32)
y_об = torch.tensor((y_об - среднее) / ско, dtype=torch.float32).unsqueeze(1); y_пр = torch.tensor((y_пр - среднее) / ско, dtype=torch.float32).unsqueeze(1)

сеть = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 1))
оптимизатор = torch.optim.Adam(сеть.parameters(), lr=3e-3, weight_decay=1e-3)
планировщик = torch.optim.lr_scheduler.ReduceLROnPlateau(оптимизатор, factor=0.5, patience=4)
журнал.info("Начало обучения: %d примеров, %d на проверке", len(X_об), len(X_пр))
for эпоха in range(1, 61):
    сеть.train(); порядок = torch.randperm(len(X_об)); сумма = 0.0
    for i in range(0, len(X_об), 32):
        b = порядок[i:i + 32]
        потери = nn.functional.mse_loss(сеть(X_об[b]), y_об[b])
        оптимизатор.zero_grad(); потери.backward(); оптимизатор.step(); сумма += потери.item() * len(b)
    сеть.eval()
    with torch.no_grad():
        вал = nn.functional.mse_loss(сеть(X_пр), y_пр).item()
    планировщик.step(вал)
    if эпоха % 3 == 0 or эпоха == 1:
        журнал.info("Эпоха %d: потери %.4f, потери на проверке %.4f, R2 %.3f, скорость обучения %.2e",
                    эпоха, сумма / len(X_об), вал, 1 - вал / y_пр.var().item(), оптимизатор.param_groups[0]["lr"])
дисперсия = y_пр.var().item()
журнал.info("Готово. MSE на проверке %.4f при дисперсии цели %.4f", вал, дисперсия)
print("CORPUS_METRIC " + json.dumps({"val_mse": round(вал, 4), "target_var": round(дисперсия, 4), "val_r2": round(1 - вал / дисперсия, 4), "train_loss": round(сумма / len(X_об), 4)}))
