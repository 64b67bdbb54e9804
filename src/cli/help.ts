import { DEFAULT_THREADS } from '../blas/threads.js';
import { DATA_SEED, FRIEDMAN_ROWS, POST_DATA, POST_PRESET, STANDARD_PRESET } from './presets.js';
import { DEFAULT_OUT_DIR } from './train-options.js';

const standard = STANDARD_PRESET;
const post = POST_PRESET;

const EXIT_CODES = `Exit codes:
  0     success
  1     a failure while running: training diverged (try a smaller --lr), a disk
        filled up, or an unexpected error
  2     bad usage or input: an unknown option or bad value, a missing, unreadable
        or malformed data or model file, an output path that cannot be written
        (a missing or read-only folder, a directory or device in the way)
  130   interrupted by Ctrl-C (train saves the model trained so far)
On failure, one message on stderr says what and where; no output file is left
half-written, and a folder made for the output is removed again if nothing was saved.
`;

export const MAIN_HELP = `Usage: blasprop <command> [options]

Commands:
  train     train a network (on Friedman #1 unless given --data)
  predict   predict with a saved model for the rows of a CSV file
  evaluate  measure a saved model on a labelled CSV file
  info      show which OpenBLAS is in use, its kernel and threads, or a model's summary
  worker    train the jobs of a queue on Redis (BullMQ) on this machine
  submit    add a training job to the queue, for a worker to train
  jobs      list the queue's jobs with their state and progress
  result    fetch a completed job's model and History

Run "blasprop <command> --help" for a command's options.

${EXIT_CODES}`;

export const TRAIN_HELP = `Usage: blasprop train [options]

Trains a network of Linear layers with ReLU between them (one hidden layer of
${standard.layers.join(', ')} units unless --layers says otherwise) by mini-batch SGD, then writes the
model and a chart of the loss per epoch, and prints a summary. Without --data it
uses Friedman #1: ${FRIEDMAN_ROWS.toLocaleString('en-US')} rows generated with seed ${DATA_SEED},
y = 10 sin(π x1 x2) + 20 (x3 − 0.5)² + 10 x4 + 5 x5 + N(0, 1), x ~ U(0, 1)^10.
${Math.round(standard.validationSplit * 100)}% of the rows are held out for validation unless --validation-split or
--validation-data says otherwise; features and targets are standardised with
statistics of the training rows.

Options:
  --data FILE.csv        train on a CSV file with a header row
  --target COL[,COL…]    its target column(s); every other column is a feature
  --layers N[,N…]        units of each hidden ReLU layer (default ${standard.layers.join(',')})
  --hidden N             one hidden layer of N units (short for --layers N)
  --epochs N             passes over the training rows (default ${standard.epochs})
  --batch-size N         rows per SGD step (default ${standard.batchSize})
  --lr X                 learning rate (default ${standard.lr})
  --momentum X           SGD momentum in [0, 1) (default ${standard.momentum})
  --validation-split F   fraction of the rows, taken from the end, to validate on,
                         in [0, 1); 0 trains on every row (default ${standard.validationSplit})
  --validation-data FILE.csv
                         validate on the rows of this file instead (the same
                         feature and target columns as --data)
  --seed N               seed of the initial weights and the row order (default 0)
  --dtype float64|float32
                         the element type the network trains in (default float64);
                         float32 runs sgemm, about twice as fast on large layers,
                         with about 7 significant digits instead of 16
  --threads N            OpenBLAS threads (default ${DEFAULT_THREADS}, or BLASPROP_NUM_THREADS)
  --out DIR              where to write model.blasprop and loss.svg (default ./${DEFAULT_OUT_DIR})
  --json                 print one JSON result instead of progress and a summary
  --preset post          the reference post's experiment: N=${POST_DATA.rows}, D=${POST_DATA.features}, H=${post.layers.join(',')}, O=${POST_DATA.targets}
                         normal data, summed squared error, He initialisation,
                         full batch, ${post.epochs} iterations at lr ${post.lr}
  -h, --help             show this help

The loss shown while training and in the chart is the MSE of the standardised
targets (with --preset post, the summed squared error); the summary's MSE and R²
are in the targets' original units.

Ctrl-C stops after the current batch and saves the model trained so far.

${EXIT_CODES}`;

export const PREDICT_HELP = `Usage: blasprop predict --model FILE --data FILE.csv [--out FILE.csv]

Predicts the targets of every row of a CSV file with a model saved by
"blasprop train", applying the same standardisation. The file needs the model's
feature columns (by name, any order; other columns are not read at all, so they
may hold text or empty cells). Writes CSV with one column per target to --out,
or to standard output.

Options:
  --model FILE      the model file (model.blasprop)
  --data FILE.csv   rows to predict, with a header row
  --out FILE.csv    where to write the predictions (default: standard output);
                    not the model or data file
  -h, --help        show this help

${EXIT_CODES}`;

export const EVALUATE_HELP = `Usage: blasprop evaluate --model FILE --data FILE.csv [--json]

Measures a model saved by "blasprop train" on the rows of a labelled CSV file: the
model's loss as in training, and the MSE, MAE and R² of each target in its
original units. The file needs the model's feature and target columns (by name,
any order; other columns are not read).

Options:
  --model FILE      the model file (model.blasprop)
  --data FILE.csv   labelled rows, with a header row
  --json            print the results as JSON
  -h, --help        show this help

${EXIT_CODES}`;

export const INFO_HELP = `Usage: blasprop info [--model FILE] [--json]

Shows the BLAS in use: OpenBLAS version, the CPU and the kernel family OpenBLAS
runs on it (its own choice, or OPENBLAS_CORETYPE's), threads, and where the native
addon was loaded from. With --model, shows a saved model's summary instead: its
layers, output shapes and parameter counts, loss, optimizer and columns.

Options:
  --model FILE  summarise this model file
  --json        print the information as JSON
  -h, --help    show this help

${EXIT_CODES}`;
