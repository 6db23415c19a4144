/**
 * A mistake in how a run was asked for (a bad option value, a missing or foreign run directory):
 * the command prints it as one line and exits with code 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
