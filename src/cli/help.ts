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
  train     train the two-layer regressor (on Friedman #1 unless given --data)
  predict   predict with a saved model for the rows of a CSV file
  info      show which OpenBLAS is in use, its kernel and threads

Run "blasprop <command> --help" for a command's options.

${EXIT_CODES}`;

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

export const INFO_HELP = `Usage: blasprop info [--json]

Shows the BLAS in use: OpenBLAS version, the CPU and the kernel family OpenBLAS
runs on it (its own choice, or OPENBLAS_CORETYPE's), threads, and where the native
addon was loaded from.

Options:
  --json        print the information as JSON
  -h, --help    show this help

${EXIT_CODES}`;
