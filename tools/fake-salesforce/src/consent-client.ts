// A person at the consent page, for tests and scripts: opens the authorize URL, reads the form,
// and presses Allow or Deny over plain HTTP; the answer is where the browser would be sent.
export async function approveAuthorization(authorizeUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !requestId) {
    const error = /error=([^<]+)<\/code><br><code>error_description=([^<]+)</.exec(html);
    throw new Error(
      `fake-salesforce: no consent page (HTTP ${page.status})${error ? `: ${error[1]}: ${error[2]}` : ''}`,
    );
  }
  const answer = await fetch(new URL('/services/oauth2/authorize', authorizeUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request_id: requestId, decision }).toString(),
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location)
    throw new Error(`fake-salesforce: consent was not answered with a redirect (HTTP ${answer.status})`);
  return new URL(location);
}
