import { oneLine } from '../util/one_line.js';

/**
 * A mistake in how a run was asked for (a bad option value, a missing or foreign run directory):
 * the command prints it as one line and exits with code 2. Control characters in the message are
 * escaped and a value of thousands of characters is shortened, so the line stays one line.
 */
export class UsageError extends Error {
  override name = 'UsageError';

  constructor(message: string) {
    super(oneLine(message));
  }
}
