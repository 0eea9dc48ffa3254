import { Link } from '../router';
import { EmptyState } from '../components/states';
import { PageHeader } from '../components/ui';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState
        title="There is no page at this address"
        action={
          <Link class="button button-primary" href="/">
            Go to the dashboard
          </Link>
        }
      >
        The link may be old, or mistyped.
      </EmptyState>
    </>
  );
}
