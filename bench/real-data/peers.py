"""scikit-learn's models on one split of a table, in a process of its own.

Usage: peers.py MODEL TASK TARGET TRAIN.csv TEST.csv SEED [IGNORE,...]
MODEL is 'mlp' (MLPRegressor / MLPClassifier: 64 ReLU units, Adam at lr 1e-3,
early stopping on 10% of the training rows, as scikit-learn does it), 'mlp-200'
(the same without a validation split: up to 200 epochs, stopping when the
training loss has not fallen by 1e-4 for 10 epochs, scikit-learn's default) or 'linear'
(least squares / logistic regression). Text columns are one-hot encoded with the
training rows' categories, and features (and regression targets, for the MLP)
standardised with the training rows' statistics, as blasprop does. Prints one
JSON object: the test RMSE (regression) or accuracy (classification), the
epochs run, and the seconds spent fitting.
"""

import csv
import json
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.neural_network import MLPClassifier, MLPRegressor


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def is_number(cell):
    try:
        float(cell)
        return True
    except ValueError:
        return False


def encode(header, train, test, target, ignore):
    columns = [c for c in range(len(header)) if header[c] != target and header[c] not in ignore]
    t = header.index(target)
    blocks_train, blocks_test = [], []
    for c in columns:
        values = [row[c] for row in train]
        if all(is_number(v) for v in values):
            blocks_train.append(np.array([[float(r[c])] for r in train]))
            blocks_test.append(np.array([[float(r[c])] for r in test]))
        else:
            categories = sorted(set(values))
            index = {v: i for i, v in enumerate(categories)}
            def one_hot(rows):
                out = np.zeros((len(rows), len(categories)))
                for i, r in enumerate(rows):
                    if r[c] in index:
                        out[i, index[r[c]]] = 1.0
                return out
            blocks_train.append(one_hot(train))
            blocks_test.append(one_hot(test))
    return np.hstack(blocks_train), np.hstack(blocks_test), [r[t] for r in train], [r[t] for r in test]


def main():
    model, task, target, train_path, test_path, seed = sys.argv[1:7]
    ignore = sys.argv[7].split(",") if len(sys.argv) > 7 and sys.argv[7] else []
    seed = int(seed)
    header, train = read(train_path)
    _, test = read(test_path)
    x_train, x_test, y_train, y_test = encode(header, train, test, target, ignore)
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    std[std == 0] = 1
    x_train, x_test = (x_train - mean) / std, (x_test - mean) / std
    started = time.perf_counter()
    epochs = None
    warnings.simplefilter("ignore")
    if task == "regression":
        y_train = np.array([float(v) for v in y_train])
        y_test = np.array([float(v) for v in y_test])
        if model.startswith("mlp"):
            y_mean, y_std = y_train.mean(), y_train.std()
            net = MLPRegressor(hidden_layer_sizes=(64,), learning_rate_init=1e-3, max_iter=200,
                               early_stopping=model == "mlp", validation_fraction=0.1, n_iter_no_change=10,
                               random_state=seed)
            net.fit(x_train, (y_train - y_mean) / y_std)
            pred = net.predict(x_test) * y_std + y_mean
            epochs = net.n_iter_
        else:
            pred = LinearRegression().fit(x_train, y_train).predict(x_test)
        result = {"rmse": float(np.sqrt(np.mean((pred - y_test) ** 2)))}
    else:
        if model.startswith("mlp"):
            net = MLPClassifier(hidden_layer_sizes=(64,), learning_rate_init=1e-3, max_iter=200,
                                early_stopping=model == "mlp", validation_fraction=0.1, n_iter_no_change=10,
                                random_state=seed)
            net.fit(x_train, y_train)
            epochs = net.n_iter_
        else:
            net = LogisticRegression(max_iter=5000).fit(x_train, y_train)
        pred = net.predict(x_test)
        result = {"accuracy": float(np.mean(np.array(pred) == np.array(y_test)))}
    result["seconds"] = time.perf_counter() - started
    result["epochs"] = epochs
    result["version"] = f"scikit-learn {sklearn.__version__}, NumPy {np.__version__}"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
