/** The files `blasprop train` (and `blasprop result`) write into their --out folder. */
export const MODEL_FILE = 'model.blasprop';
export const CHART_FILE = 'loss.svg';
export const HISTORY_FILE = 'history.json';
