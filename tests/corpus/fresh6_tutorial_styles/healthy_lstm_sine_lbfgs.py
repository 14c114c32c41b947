# expect:
# allow:
# forbid: *
# evidence: time_sequence_prediction LSTMCell x2 + LBFGS; one-step test MSE 3.4e-4 vs target variance 0.48, train 2.2e-4; 20-step free-running MSE 0.056
"""pytorch/examples time_sequence_prediction: two LSTMCells + Linear learn sine waves with LBFGS,
then predict 20 future steps. Data generated inline (generate_sine_wave.py), made smaller."""
from __future__ import print_function
import argparse
import json

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim


class Sequence(nn.Module):
    def __init__(self):
        super(Sequence, self).__init__()
        self.lstm1 = nn.LSTMCell(1, 32)
        self.lstm2 = nn.LSTMCell(32, 32)
        self.linear = nn.Linear(32, 1)

    def forward(self, input, future=0):
        outputs = []
        h_t = torch.zeros(input.size(0), 32, dtype=torch.double)
        c_t = torch.zeros(input.size(0), 32, dtype=torch.double)
        h_t2 = torch.zeros(input.size(0), 32, dtype=torch.double)
        c_t2 = torch.zeros(input.size(0), 32, dtype=torch.double)

        for input_t in input.split(1, dim=1):
            h_t, c_t = self.lstm1(input_t, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        for i in range(future):  # if we should predict the future
            h_t, c_t = self.lstm1(output, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        outputs = torch.cat(outputs, dim=1)
        return outputs


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--steps', type=int, default=6, help='steps to run')
    opt = parser.parse_args()
    torch.set_num_threads(1)
    # set random seed to 0
    np.random.seed(0)
    torch.manual_seed(0)
    # generate_sine_wave.py
    T = 20
    L = 100
    N = 36
    x = np.empty((N, L), 'int64')
    x[:] = np.array(range(L)) + np.random.randint(-4 * T, 4 * T, N).reshape(N, 1)
    data = np.sin(x / 1.0 / T).astype('float64')
    # load data and make training set
    input = torch.from_numpy(data[6:, :-1])
    target = torch.from_numpy(data[6:, 1:])
    test_input = torch.from_numpy(data[:6, :-1])
    test_target = torch.from_numpy(data[:6, 1:])
    # build the model
    seq = Sequence()
    seq.double()
    criterion = nn.MSELoss()
    # use LBFGS as optimizer since we can load the whole data to train
    optimizer = optim.LBFGS(seq.parameters(), lr=0.8, max_iter=10)
    # begin to train
    for i in range(opt.steps):
        print('STEP: ', i)

        def closure():
            optimizer.zero_grad()
            out = seq(input)
            loss = criterion(out, target)
            print('loss:', loss.item())
            loss.backward()
            return loss
        train_loss = optimizer.step(closure).item()
        # begin to predict, no need to track gradient here
        with torch.no_grad():
            future = 20
            pred = seq(test_input, future=future)
            loss = criterion(pred[:, :-future], test_target)
            print('test loss:', loss.item())
            # ground truth of the next `future` steps
            true_future = torch.from_numpy(np.sin((x[:6, -1:] + 1 + np.arange(future)[None, :]) / 1.0 / T))
            future_mse = criterion(pred[:, -future:], true_future).item()
            print('future (20-step free-running) mse:', future_mse)
    with torch.no_grad():
        train_loss = criterion(seq(input), target).item()
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(loss.item(), 7), "train_loss": round(train_loss, 7),
                                         "future_mse": round(future_mse, 5), "target_var": round(float(test_target.var()), 4)}))
