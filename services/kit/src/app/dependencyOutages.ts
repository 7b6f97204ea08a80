import { AppError, isAppError } from '../errors/AppError.ts';
import { isDatabaseUnavailable } from '../db/connectionFailures.ts';
import { BrokerUnavailableError } from '../messaging/BrokerConnection.ts';

export type OutageDependency = 'database' | 'broker';

/**
 * Which infrastructure dependency an unexpected error says is unavailable: the database
 * (connection refused, reset or terminated, query timeout, no pool connection in time, shutdown)
 * or the broker (not connected, publish not confirmed, channel closed). Undefined for anything
 * else, which stays a bug (500).
 */
export function outageOf(error: unknown): OutageDependency | undefined {
  if (isAppError(error)) return undefined;
  if (error instanceof BrokerUnavailableError || (error instanceof Error && error.name === 'IllegalOperationError')) {
    return 'broker';
  }
  return isDatabaseUnavailable(error) ? 'database' : undefined;
}

const details: Record<OutageDependency, string> = {
  database: 'The database is unavailable; retry later.',
  broker: 'The message broker is unavailable; retry later.',
};

/** The 503 DEPENDENCY_UNAVAILABLE (with Retry-After) an outage is answered with. */
export function outageError(dependency: OutageDependency, cause: unknown, retryAfterSeconds: number): AppError {
  return new AppError('DEPENDENCY_UNAVAILABLE', { detail: details[dependency], retryAfterSeconds, cause });
}
