import { DEFAULT_THREADS } from '../blas/threads.js';

const QUEUE_LINES = `  --redis URL            the Redis server the queue is on (redis://host:6379)
  --queue NAME           the queue's name (default blasprop)`;

const NEEDS = `Needs the packages bullmq and ioredis beside blasprop (npm install bullmq ioredis).`;

export const WORKER_HELP = `Usage: blasprop worker --redis URL [options]

Trains the jobs of a queue on this machine, on its background training pool, until
stopped. Start one on every machine of the fleet. A job whose worker dies is taken
over by another worker, which resumes it from its last checkpoint; Ctrl-C (or
SIGTERM) stops taking jobs and hands the running ones back to the queue, and a
second Ctrl-C quits at once. ${NEEDS}

Options:
${QUEUE_LINES}
  --concurrency N        jobs trained at once (default: cores ÷ OpenBLAS threads)
  --threads N            OpenBLAS threads per job (default ${DEFAULT_THREADS}, or BLASPROP_NUM_THREADS);
                         every worker of a queue should use the same count, which
                         bit-identical results depend on
  --storage DIR          a folder on shared storage for model files too large for
                         Redis (above 16 MiB); the same path on every machine
  --scratch DIR          a local folder for each job's working checkpoint (default
                         the temporary folder); a tmpfs such as /dev/shm spares a
                         disk fsync per checkpoint
  -h, --help             show this help
`;

export const SUBMIT_HELP = `Usage: blasprop submit --redis URL --data FILE.csv --target COL[,COL…] [options]

Adds a training job to the queue and prints its id: the model and training that
"blasprop train" would run with the same options (see blasprop train --help), for
a worker to train. The CSV file must be readable at the same path by every worker
(shared storage); it is also read here, to check it. ${NEEDS}

The job carries the table's layout as found here (text columns and their
categories, a classifier's labels), --ignore and --missing, the schedule, early
stopping and clipping: the worker reads the file as train does, and refuses it if
its columns have changed since.

Options:
${QUEUE_LINES}
  --data FILE.csv, --target COL[,COL…], --ignore COL[,COL…], --task T,
  --missing M, --layers N[,N…], --hidden N, --activation A, --dropout P,
  --loss L, --optimizer O, --lr X, --momentum X, --weight-decay X,
  --schedule S, --clip-norm X, --early-stopping N, --epochs N,
  --batch-size N, --validation-split F, --seed N
                         as for blasprop train
  --attempts N           attempts before the job fails for good (default 3)
  --wait                 wait for the job to finish; exit code 0 if it completed
  --json                 print { "id": … } (with --wait, the final status)
  -h, --help             show this help
`;

export const JOBS_HELP = `Usage: blasprop jobs --redis URL [--json]

Lists the jobs of a queue, newest first in each state, with their progress: the
epochs done, and the last epoch's training and validation loss (and, for a
classifier, accuracy). ${NEEDS}

Options:
${QUEUE_LINES}
  --json                 print the list as JSON
  -h, --help             show this help
`;

export const RESULT_HELP = `Usage: blasprop result ID --redis URL --out DIR

Fetches a completed job's trained model and History: writes DIR/model.blasprop
(for blasprop predict) and DIR/history.json. A job that failed reports its error.
${NEEDS}

Options:
${QUEUE_LINES}
  --out DIR              where to write model.blasprop and history.json
  -h, --help             show this help
`;
