# expect:
# allow:
# forbid: *
# evidence: healthy look-alike: 9.7% positives handled with pos_weight; balanced_acc 0.943, recall 0.904, precision 0.839, predicts negative for 0.896 of rows vs true 0.904, val_acc 0.974
"""“是不是数字 8” 二分类（load_digits），正类只占约 10%，天然不平衡。
处理得当：BCEWithLogits 加 pos_weight（负/正样本比），分层划分，用平衡准确率和召回率评估。"""
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import balanced_accuracy_score, recall_score, precision_score

torch.set_num_threads(1)
torch.manual_seed(23); np.random.seed(23); random.seed(23)

数据, 数字 = load_digits(return_X_y=True)
标签 = (数字 == 8).astype(np.float32)
训练X, 验证X, 训练y, 验证y = train_test_split(数据, 标签, test_size=0.3, random_state=23, stratify=标签)
标准化 = StandardScaler().fit(训练X)
训练X = torch.tensor(标准化.transform(训练X), dtype=torch.float32); 验证X = torch.tensor(标准化.transform(验证X), dtype=torch.float32)
训练y = torch.tensor(训练y); 验证y_np = 验证y; 验证y = torch.tensor(验证y)
正类比例 = 训练y.mean().item()
print(f"正类（数字8）比例：{正类比例:.1%}")
正类权重 = torch.tensor((1 - 正类比例) / 正类比例)

模型 = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
优化器 = torch.optim.Adam(模型.parameters(), lr=1e-3)
for 轮次 in range(1, 15):
    模型.train(); 顺序 = torch.randperm(len(训练X)); 累计 = 0.0
    for i in range(0, len(训练X), 32):
        b = 顺序[i:i + 32]
        损失 = F.binary_cross_entropy_with_logits(模型(训练X[b]).squeeze(1), 训练y[b], pos_weight=正类权重)
        优化器.zero_grad(); 损失.backward(); 优化器.step(); 累计 += 损失.item() * len(b)
    模型.eval()
    with torch.no_grad():
        输出 = 模型(验证X).squeeze(1); 验证损失 = F.binary_cross_entropy_with_logits(输出, 验证y, pos_weight=正类权重).item()
    预测 = (输出 > 0).numpy().astype(int)
    平衡 = balanced_accuracy_score(验证y_np, 预测); 召回 = recall_score(验证y_np, 预测); 精确 = precision_score(验证y_np, 预测, zero_division=0)
    if 轮次 % 2 == 0 or 轮次 == 1:
        print(f"第 {轮次} 轮：训练损失 {累计/len(训练X):.4f}，验证损失 {验证损失:.4f}，平衡准确率 {平衡:.3f}，召回率 {召回:.3f}，精确率 {精确:.3f}")
准确率 = float((预测 == 验证y_np).mean())
print("训练结束")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(验证损失, 4), "val_acc": round(准确率, 4), "val_balanced_acc": round(平衡, 4), "val_recall_pos": round(召回, 4), "val_precision_pos": round(精确, 4),
                                    "majority_frac": round(float(1 - 验证y_np.mean()), 4), "pred_majority_frac": round(float((预测 == 0).mean()), 4), "train_loss": round(累计/len(训练X), 4)}))
