/** A data file that cannot be used: missing, empty, malformed, or without the columns asked for. */
export class DataError extends Error {
  override name = 'DataError';
}
