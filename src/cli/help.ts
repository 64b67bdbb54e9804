import { DEFAULT_THREADS } from '../blas/threads.js';
import { DATA_SEED, DEFAULT_LR, FRIEDMAN_ROWS, POST_DATA, POST_PRESET, STANDARD_PRESET } from './presets.js';
import { DEFAULT_OUT_DIR } from './train-options.js';

const standard = STANDARD_PRESET;

function optimizerName(name: string): string {
  return { sgd: 'SGD', adam: 'Adam', adamw: 'AdamW', rmsprop: 'RMSprop' }[name] ?? name;
}
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

Trains a network of Linear layers with an activation between them (one hidden
layer of ${standard.layers.join(', ')} ReLU units unless told otherwise) by mini-batch ${optimizerName(standard.optimizer)}, then
writes the model and a chart of the loss per epoch, and prints a summary. Without
--data it uses Friedman #1: ${FRIEDMAN_ROWS.toLocaleString('en-US')} rows generated with seed ${DATA_SEED},
y = 10 sin(π x1 x2) + 20 (x3 − 0.5)² + 10 x4 + 5 x5 + N(0, 1), x ~ U(0, 1)^10.
${Math.round(standard.validationSplit * 100)}% of the rows are held out for validation unless --validation-split or
--validation-data says otherwise; features (and regression targets) are
standardised with statistics of the training rows.

A target column of text labels (or of integers, with --task classification)
trains a classifier: softmax outputs, one per label, and cross-entropy; the
summary shows accuracy, each class's precision and recall, and the confusion
matrix. Text feature columns are one-hot encoded (one input per category); their
categories and the labels are saved with the model.

Data:
  --data FILE.csv        train on a CSV file with a header row
  --target COL[,COL…]    its target column(s); every other column is a feature
  --ignore COL[,COL…]    columns that are neither targets nor features (an id, a name)
  --task T               auto (default: labels when the target holds text),
                         regression, or classification
  --missing M            empty cells: error (default: refuse the file), drop (leave
                         out rows with one), or mean (fill each with its column's
                         mean over the training rows, also in new rows later;
                         rows without a target are left out)
  --validation-split F   fraction of the rows, taken from the end, to validate on,
                         in [0, 1); 0 trains on every row (default ${standard.validationSplit})
  --validation-data FILE.csv
                         validate on the rows of this file instead (the same
                         feature and target columns as --data)
  --demo NAME            a data set of its own: friedman1 (regression, the default)
                         or iris (Fisher's 150 flowers of three species, classification)
  --preset post          the reference post's experiment: N=${POST_DATA.rows}, D=${POST_DATA.features}, H=${post.layers.join(',')}, O=${POST_DATA.targets}
                         normal data, summed squared error, He initialisation,
                         full batch SGD, ${post.epochs} iterations at lr ${post.lr}

Network:
  --layers N[,N…]        units of each hidden layer (default ${standard.layers.join(',')})
  --hidden N             one hidden layer of N units (short for --layers N)
  --activation A         relu (default), leaky-relu, gelu, tanh or sigmoid
  --dropout P            dropout after each hidden activation, P in [0, 1) (default 0)
  --loss L               regression: mse (default), l1 or huber; a classifier
                         always trains with cross-entropy

Training:
  --optimizer O          adam, adamw, sgd or rmsprop (default ${standard.optimizer})
  --lr X                 learning rate (default ${DEFAULT_LR.adam} for adam, adamw and
                         rmsprop, ${DEFAULT_LR.sgd} for sgd)
  --momentum X           momentum of sgd and rmsprop, in [0, 1) (default ${standard.momentum})
  --weight-decay X       L2 penalty (decoupled for adamw), >= 0 (default 0; 0.01 for adamw)
  --schedule S           learning rate per epoch: step:N[:GAMMA] (× GAMMA, default
                         0.1, every N epochs), exponential:GAMMA, cosine (to 0 over
                         the epochs), plateau[:PATIENCE] (halved after PATIENCE
                         epochs without improvement, default 5), warmup:N (from a
                         tenth of --lr up to it over N epochs)
  --clip-norm X          clip the gradients' total norm to X before each update
  --early-stopping N     stop after N epochs without improvement of the validation
                         loss (the training loss without validation rows), and
                         keep the best epoch's weights
  --epochs N             passes over the training rows (default ${standard.epochs})
  --batch-size N         rows per step (default ${standard.batchSize})
  --seed N               seed of the initial weights and the row order (default 0)
  --dtype float64|float32
                         the element type the network trains in (default float64);
                         float32 runs sgemm, about twice as fast on large layers,
                         with about 7 significant digits instead of 16

Output:
  --threads N            OpenBLAS threads (default ${DEFAULT_THREADS}, or BLASPROP_NUM_THREADS)
  --out DIR              where to write model.blasprop and loss.svg (default ./${DEFAULT_OUT_DIR})
  --json                 print one JSON result instead of progress and a summary
  -h, --help             show this help

The loss shown while training and in the chart is that of the standardised
targets for regression (with --preset post, the summed squared error); the
summary's MSE and R² are in the targets' original units.

Ctrl-C stops after the current batch and saves the model trained so far.

${EXIT_CODES}`;

export const PREDICT_HELP = `Usage: blasprop predict --model FILE --data FILE.csv [--out FILE.csv]

Predicts the targets of every row of a CSV file with a model saved by
"blasprop train", applying the same encoding and standardisation. The file needs
the model's feature columns (by name, any order; other columns are not read at
all, so they may hold text or empty cells). Writes CSV with one column per
target to --out, or to standard output; for a classifier, the predicted label
and then one column per label with its probability, P(label).

A text column must hold categories the training rows held: an unseen one is
refused, naming it. Empty cells are refused unless the model was trained with
--missing mean, which fills them with the training rows' means.

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
original units — or, for a classifier, its accuracy, each class's precision and
recall, and the confusion matrix (a label the model was not trained on is
refused, naming it). The file needs the model's feature and target columns (by
name, any order; other columns are not read).

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
