// The HTML a person sees on the local test Salesforce: the consent page (Allow / Deny) and the
// error page shown instead of redirecting when the client or redirect URI is wrong. Plain and
// self-contained (no scripts, no external assets), and never mistakable for the real Salesforce.
const SCOPE_TEXT: Record<string, string> = {
  api: 'Manage user data via APIs (api)',
  refresh_token: 'Perform requests at any time (refresh_token, offline_access)',
  offline_access: 'Perform requests at any time (refresh_token, offline_access)',
  id: 'Access the identity URL service (id, profile, email, address, phone)',
  profile: 'Access the identity URL service (id, profile, email, address, phone)',
  email: 'Access the identity URL service (id, profile, email, address, phone)',
  openid: 'Access unique user identifiers (openid)',
  full: 'Full access (full)',
  web: 'Manage user data via Web browsers (web)',
};

export type ConsentView = {
  requestId: string;
  orgName: string;
  orgId: string;
  username: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
};

export function consentPage(v: ConsentView): string {
  const lines = [...new Set(v.scopes.map((s) => SCOPE_TEXT[s] ?? `${s}`))];
  return layout(
    'Allow access? — Local test Salesforce',
    `
    <h1>Allow access?</h1>
    <p class="lead">An application wants to connect to <strong>${esc(v.orgName)}</strong> as <strong>${esc(v.username)}</strong>.</p>
    <dl>
      <dt>Application (client id)</dt><dd><code>${esc(v.clientId)}</code></dd>
      <dt>Returns to</dt><dd><code>${esc(v.redirectUri)}</code></dd>
      <dt>Org id</dt><dd><code>${esc(v.orgId)}</code></dd>
    </dl>
    <h2>It will be able to</h2>
    <ul class="scopes">${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
    <form method="post" action="/services/oauth2/authorize">
      <input type="hidden" name="request_id" value="${esc(v.requestId)}">
      <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
      <button type="submit" name="decision" value="allow" class="primary" autofocus>Allow</button>
    </form>`,
  );
}

export function errorPage(error: string, description: string): string {
  return layout(
    'Error — Local test Salesforce',
    `
    <h1>We can't authorize you</h1>
    <p class="lead">The request is not valid for this connected app, so you were not sent back to it.</p>
    <p class="error"><code>error=${esc(error)}</code><br><code>error_description=${esc(description)}</code></p>`,
  );
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f3f4f6; color: #1f2937; }
  .banner { background: #fef3c7; color: #92400e; text-align: center; padding: .5rem 1rem; font-size: .875rem; border-bottom: 1px solid #fcd34d; }
  main { max-width: 30rem; margin: 3rem auto; background: #fff; border-radius: .75rem; padding: 2rem 2.25rem; box-shadow: 0 1px 3px rgba(0,0,0,.1); }
  .brand { color: #6b7280; font-size: .875rem; letter-spacing: .02em; margin: 0 0 1rem; }
  h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
  h2 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
  .lead { margin: 0 0 1rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; font-size: .875rem; }
  dt { color: #6b7280; } dd { margin: 0; word-break: break-all; }
  .scopes { margin: 0; padding-left: 1.25rem; }
  form { display: flex; justify-content: flex-end; gap: .75rem; margin-top: 2rem; }
  button { font: inherit; padding: .5rem 1.25rem; border-radius: .375rem; cursor: pointer; border: 1px solid #d1d5db; }
  .primary { background: #0b5cab; border-color: #0b5cab; color: #fff; }
  .secondary { background: #fff; color: #1f2937; }
  .error { background: #fef2f2; border: 1px solid #fecaca; border-radius: .375rem; padding: .75rem 1rem; font-size: .875rem; }
</style>
</head>
<body>
<div class="banner">Local test Salesforce — a test double for development and demos. This is not Salesforce.</div>
<main>
<p class="brand">Local test Salesforce</p>
${body}
</main>
</body>
</html>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
