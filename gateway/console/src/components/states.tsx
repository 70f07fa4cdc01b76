import type { ComponentChildren } from 'preact';
import type { ApiError } from '../lib/api-error';
import type { Resource } from '../lib/use-resource';

export function Loading({ what }: { what: string }) {
  return (
    <p class="state loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="state empty">{children}</p>;
}

/** An API error as the gateway sent it: its stable code, its message and, for bad input, what to fix. */
export function ErrorBox({ error, title }: { error: ApiError; title?: string }) {
  const rawProblems = error.details?.['problems'];
  const problems = Array.isArray(rawProblems)
    ? (rawProblems as Array<{ field?: string; problems?: string[] }>)
    : [];
  // Where the problem is (a CSV file's line and column, a limit and the size sent): the details' plain values.
  const where = Object.entries(error.details ?? {}).filter(
    ([key, value]) => key !== 'problems' && ['string', 'number', 'boolean'].includes(typeof value),
  );
  return (
    <div class="state error" role="alert" data-code={error.code}>
      <strong>{title ?? 'The gateway refused'}</strong>
      <p>
        <code class="error-code">{error.code}</code>{' '}
        <span class="error-message">{error.message}</span>
      </p>
      {where.length > 0 && (
        <p class="error-details">
          {where.map(([key, value]) => (
            <span>
              {key}: <code>{String(value)}</code>{' '}
            </span>
          ))}
        </p>
      )}
      {problems.length > 0 && (
        <ul class="problems">
          {problems.map((problem) => (
            <li>
              <code>{problem.field ?? '?'}</code>: {(problem.problems ?? []).join('; ')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Says that what is shown is the last answer and why it could not be refreshed. */
export function StaleBanner({ resource }: { resource: Resource<unknown> }) {
  if (!resource.error || resource.data === undefined) return null;
  return (
    <div class="state stale" role="status" data-code={resource.error.code}>
      Stale: showing the ledger as of {resource.loadedAt?.toLocaleTimeString() ?? '?'} — the last
      refresh failed (<code>{resource.error.code}</code> {resource.error.message}). Retrying.
    </div>
  );
}

/**
 * Renders a resource's states: loading, error (nothing to show yet), stale banner + data, data,
 * and empty when `isEmpty` says so.
 */
export function Loaded<T>({
  resource,
  what,
  isEmpty,
  empty,
  children,
}: {
  resource: Resource<T>;
  what: string;
  isEmpty?: (data: T) => boolean;
  empty?: ComponentChildren;
  children: (data: T) => ComponentChildren;
}) {
  if (resource.data === undefined) {
    if (resource.error) return <ErrorBox error={resource.error} title={`Could not load ${what}`} />;
    return <Loading what={what} />;
  }
  return (
    <>
      <StaleBanner resource={resource} />
      {isEmpty?.(resource.data) ? (
        <Empty>{empty ?? `No ${what} yet.`}</Empty>
      ) : (
        children(resource.data)
      )}
    </>
  );
}
