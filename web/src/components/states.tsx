// Loading, empty and error states: every page shows one of them rather than a blank area.
import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api/client';
import { Icon, type IconName } from './icons';

export function Skeleton({
  width = '100%',
  height = 16,
  class: className = '',
}: {
  width?: string | number;
  height?: number;
  class?: string;
}) {
  const px = (v: string | number) => (typeof v === 'number' ? `${v}px` : v);
  return <span class={`skeleton ${className}`} style={{ width: px(width), height: px(height) }} aria-hidden="true" />;
}

/** A loading region: announced once to screen readers, drawn as placeholder blocks. */
export function Loading({ label, children }: { label: string; children?: ComponentChildren }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="visually-hidden">{label}</span>
      {children ?? (
        <div class="skeleton-stack">
          <Skeleton height={14} width="40%" />
          <Skeleton height={14} />
          <Skeleton height={14} width="85%" />
          <Skeleton height={14} width="70%" />
        </div>
      )}
    </div>
  );
}

export function EmptyState({
  icon = 'info',
  title,
  children,
  action,
}: {
  icon?: IconName;
  title: string;
  children?: ComponentChildren;
  action?: ComponentChildren;
}) {
  return (
    <div class="empty">
      <span class="empty-icon">
        <Icon name={icon} size={22} />
      </span>
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action && <div class="empty-action">{action}</div>}
    </div>
  );
}

/** An error with what to do about it (the API's problem detail says it) and a way to retry. */
export function ErrorState({ error, retry, title }: { error: ApiError; retry?: () => void; title?: string }) {
  const heading =
    title ??
    (error.status === 403
      ? 'You may not see this'
      : error.status === 404
        ? 'Not found'
        : error.status === 0
          ? 'The service is unreachable'
          : 'This could not be loaded');
  return (
    <div class="callout callout-error" role="alert">
      <Icon name="alert" />
      <div>
        <strong>{heading}</strong>
        <p>{error.detail}</p>
        {retry && (
          <button type="button" class="button button-secondary button-small" onClick={retry}>
            Try again
          </button>
        )}
      </div>
    </div>
  );
}

export function Callout({
  tone = 'info',
  title,
  children,
  action,
}: {
  tone?: 'info' | 'warning' | 'error' | 'success';
  title: string;
  children?: ComponentChildren;
  action?: ComponentChildren;
}) {
  return (
    <div class={`callout callout-${tone}`} role={tone === 'error' ? 'alert' : undefined}>
      <Icon name={tone === 'success' ? 'check' : tone === 'info' ? 'info' : 'alert'} />
      <div>
        <strong>{title}</strong>
        {children && <p>{children}</p>}
        {action}
      </div>
    </div>
  );
}
