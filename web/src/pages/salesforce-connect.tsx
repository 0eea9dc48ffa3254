// Connect (or reconnect) the org: the browser goes to /oauth/salesforce/authorize, which the
// session authenticates and redirects to Salesforce's consent page; Salesforce sends the browser
// back to our callback, whose page offers "Continue" back here.
import { useState } from 'preact/hooks';
import { query } from '../api/client';
import { Icon } from '../components/icons';

type Environment = 'production' | 'sandbox' | 'custom';

export function authorizeUrl(environment: Environment, domain: string): string {
  return `/oauth/salesforce/authorize${query({ environment, domain: environment === 'custom' ? domain.trim() : null, returnTo: '/salesforce' })}`;
}

export function ConnectForm({ label }: { label: string }) {
  const [environment, setEnvironment] = useState<Environment>('production');
  const [domain, setDomain] = useState('');
  return (
    <form class="connect-form" onSubmit={(e) => {
      e.preventDefault();
      window.location.assign(authorizeUrl(environment, domain));
    }}>
      <fieldset class="radio-cards">
        <legend>Where do your users sign in to Salesforce?</legend>
        {([
          ['production', 'Production', 'login.salesforce.com'],
          ['sandbox', 'Sandbox', 'test.salesforce.com'],
          ['custom', 'My Domain', 'your-company.my.salesforce.com'],
        ] as const).map(([value, title, hint]) => (
          <label key={value} class={`radio-card ${environment === value ? 'active' : ''}`}>
            <input type="radio" name="environment" value={value} checked={environment === value} onChange={() => setEnvironment(value)} />
            <span><strong>{title}</strong><span class="muted small">{hint}</span></span>
          </label>
        ))}
      </fieldset>
      {environment === 'custom' && (
        <div class="field">
          <label for="sf-domain">My Domain</label>
          <input id="sf-domain" class="input" required placeholder="acme.my.salesforce.com" value={domain} spellcheck={false}
            onInput={(e) => setDomain((e.currentTarget as HTMLInputElement).value)} />
        </div>
      )}
      <button type="submit" class="button button-primary"><Icon name="plug" size={16} /> {label}</button>
      <p class="muted small">Salesforce asks you to allow access. We only read: opportunities and their history, contact roles, contacts and leads. Nothing is written to your org.</p>
    </form>
  );
}
