// Headers every answer carries, mounted first in app.ts: one Content-Security-Policy (with
// frame-ancestors 'none') for every HTML page the service sends (the web app, /docs, the OAuth
// result pages, error pages alike), and Strict-Transport-Security when the request came over https
// (req.secure: the socket's TLS, or X-Forwarded-Proto from a proxy TRUST_PROXY names).
import type { RequestHandler } from 'express';

// Scripts and styles come from this origin only; ECharts and Swagger UI set inline style
// attributes, and the OAuth result pages carry their style inline.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const ONE_YEAR_SECONDS = 365 * 86_400;

export const securityHeaders: RequestHandler = (req, res, next) => {
  res.set({
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  });
  // Sent over http, HSTS is ignored by browsers (RFC 6797 section 8.1), and it would be a lie.
  if (req.secure) res.set('strict-transport-security', `max-age=${ONE_YEAR_SECONDS}; includeSubDomains`);
  next();
};
