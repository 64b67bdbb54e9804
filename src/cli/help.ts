import { DEFAULT_THREADS } from '../blas/threads.js';
import { DATA_SEED, FRIEDMAN_ROWS, POST_DATA, POST_PRESET, STANDARD_PRESET } from './presets.js';
import { DEFAULT_OUT_DIR } from './train-options.js';

const standard = STANDARD_PRESET;
const post = POST_PRESET;

export const MAIN_HELP = `Usage: blasprop <command> [options]

Commands:
  train     train the two-layer regressor (on Friedman #1 unless given --data)
  predict   predict with a saved model for the rows of a CSV file
  info      show which OpenBLAS is in use, its kernel and threads
  worker    train the jobs of a queue on Redis (BullMQ) on this machine
  submit    add a training job to the queue, for a worker to train
  jobs      list the queue's jobs with their state and progress
  result    fetch a completed job's model and History

Run "blasprop <command> --help" for a command's options.
`;

export const TRAIN_HELP = `Usage: blasprop train [options]

Trains a network with one hidden ReLU layer by mini-batch SGD, then writes the
model and a chart of the loss per epoch, and prints a summary. Without --data it
uses Friedman #1: ${FRIEDMAN_ROWS.toLocaleString('en-US')} rows generated with seed ${DATA_SEED},
y = 10 sin(π x1 x2) + 20 (x3 − 0.5)² + 10 x4 + 5 x5 + N(0, 1), x ~ U(0, 1)^10.
${Math.round(standard.validationSplit * 100)}% of the rows are held out for validation; features and targets are
standardised with statistics of the training rows.

Options:
  --data FILE.csv        train on a CSV file with a header row
  --target COL[,COL…]    its target column(s); every other column is a feature
  --hidden N             hidden units (default ${standard.hidden})
  --epochs N             passes over the training rows (default ${standard.epochs})
  --batch-size N         rows per SGD step (default ${standard.batchSize})
  --lr X                 learning rate (default ${standard.lr})
  --seed N               seed of the initial weights and the row order (default 0)
  --threads N            OpenBLAS threads (default ${DEFAULT_THREADS}, or BLASPROP_NUM_THREADS)
  --out DIR              where to write model.blasprop and loss.svg (default ./${DEFAULT_OUT_DIR})
  --json                 print one JSON result instead of progress and a summary
  --preset post          the reference post's experiment: N=${POST_DATA.rows}, D=${POST_DATA.features}, H=${post.hidden}, O=${POST_DATA.targets}
                         normal data, summed squared error, He initialisation,
                         full batch, ${post.epochs} iterations at lr ${post.lr}
  -h, --help             show this help

Ctrl-C stops after the current batch and saves the model trained so far (exit
code 130). Bad options or data exit with code 2.
`;

export const PREDICT_HELP = `Usage: blasprop predict --model FILE --data FILE.csv [--out FILE.csv]

Predicts the targets of every row of a CSV file with a model saved by
"blasprop train", applying the same standardisation. The file needs the model's
feature columns (by name, any order; other columns are ignored). Writes CSV
with one column per target to --out, or to standard output.

Options:
  --model FILE      the model file (model.blasprop)
  --data FILE.csv   rows to predict, with a header row
  --out FILE.csv    where to write the predictions (default: standard output)
  -h, --help        show this help
`;

export const INFO_HELP = `Usage: blasprop info [--json]

Shows the BLAS in use: OpenBLAS version, the kernel chosen for this CPU, threads,
and where the native addon was loaded from.

Options:
  --json        print the information as JSON
  -h, --help    show this help
`;
