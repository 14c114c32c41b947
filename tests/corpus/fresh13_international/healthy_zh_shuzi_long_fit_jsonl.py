# expect:
# allow:
# forbid: *
# evidence: healthy look-alike: train_loss -> 0.0033 after 30 epochs while val_loss stays flat at its best (0.080, min 0.079), val_acc 0.9815; chance 0.10
# native-log: 训练日志/log.jsonl
# log-expect:
# log-allow:
"""手写数字识别（load_digits），MLP + AdamW，训练比较久：训练损失接近 0，验证损失保持在最低附近。
日志用中文字段名写成 jsonl。"""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(4); np.random.seed(4); random.seed(4)

日志目录 = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "训练日志")
os.makedirs(日志目录, exist_ok=True)

数据, 标签 = load_digits(return_X_y=True)
训练X, 验证X, 训练y, 验证y = train_test_split(数据, 标签, test_size=0.3, random_state=4, stratify=标签)
标准化 = StandardScaler().fit(训练X)
训练X = torch.tensor(标准化.transform(训练X), dtype=torch.float32); 验证X = torch.tensor(标准化.transform(验证X), dtype=torch.float32)
训练y = torch.tensor(训练y); 验证y = torch.tensor(验证y)

模型 = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10))
优化器 = torch.optim.AdamW(模型.parameters(), lr=2e-3, weight_decay=0.05)
总轮数 = 30
with open(os.path.join(日志目录, "log.jsonl"), "w", encoding="utf-8") as 日志:
    for 轮次 in range(1, 总轮数 + 1):
        模型.train(); 顺序 = torch.randperm(len(训练X)); 累计 = 0.0
        for i in range(0, len(训练X), 64):
            批 = 顺序[i:i + 64]
            损失 = F.cross_entropy(模型(训练X[批]), 训练y[批])
            优化器.zero_grad(); 损失.backward(); 优化器.step(); 累计 += 损失.item() * len(批)
        模型.eval()
        with torch.no_grad():
            输出 = 模型(验证X); 验证损失 = F.cross_entropy(输出, 验证y).item(); 准确率 = (输出.argmax(1) == 验证y).float().mean().item()
        训练损失 = 累计 / len(训练X)
        print(f"轮次 {轮次}/{总轮数} 损失={训练损失:.4f} 验证损失={验证损失:.4f} 准确率={准确率:.3f}")
        日志.write(json.dumps({"轮次": 轮次, "训练损失": round(训练损失, 5), "验证损失": round(验证损失, 5), "验证准确率": round(准确率, 4), "学习率": 2e-3}, ensure_ascii=False) + "\n")
print("训练完成")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(验证损失, 4), "val_acc": round(准确率, 4), "train_loss": round(训练损失, 5), "chance_acc": 0.1}))
