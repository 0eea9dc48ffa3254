// The express app: request ids, structured request logs, routes, problem+json errors.
import { randomUUID } from 'node:crypto';
import express from 'express';
import { pinoHttp } from 'pino-http';
import { errSerializer } from '../platform/logger';
import { authenticate } from './auth';
import { digestPageRoutes } from './digest-page';
import type { ApiDeps } from './deps';
import { healthRoutes } from './health';
import { salesforceOAuthRoutes } from './oauth/salesforce';
import { docsRoutes } from './openapi';
import { notFoundRoute, problemHandler } from './problem';
import { oauthRateLimit, passwordChangeRateLimit, perCallerRateLimit, signInRateLimits } from './rate-limits';
import { securityHeaders } from './security-headers';
import { sessionRoutes } from './session';
import { requireSameOriginIntent } from './session/csrf';
import { v1Routes } from './v1';
import { webAppRoutes } from './web-app';
import { webhookRoutes } from './webhooks';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Query parameters that carry secrets (the OAuth callback's code and state, tokens): never logged. */
const SECRET_PARAMS = /^(code|state|token|access_token|refresh_token|key|api_key|password|code_verifier)$/i;

function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const k of [...params.keys()]) if (SECRET_PARAMS.test(k)) params.set(k, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  // X-Forwarded-For is believed only from the proxies TRUST_PROXY names; by default nobody's.
  app.set('trust proxy', deps.config.http.trustProxy);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // A 503 is a busy or missing dependency the answer explains, not a bug.
      customLogLevel: (_req, res, err) =>
        (err || res.statusCode >= 500) && res.statusCode !== 503 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      serializers: {
        req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
          remoteAddress: req.remoteAddress,
        }),
        // Headers of responses carry secrets (the redirect to Salesforce holds the state): status only.
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: errSerializer,
      },
    }),
  );
  app.use(healthRoutes(deps));
  app.use(docsRoutes(deps));
  app.use(webhookRoutes(deps));
  app.use('/oauth/salesforce', oauthRateLimit(deps));
  app.use(salesforceOAuthRoutes(deps));
  // Counted before the password is checked; the limiter reads the email from the parsed body.
  app.post('/auth/sign-in', requireSameOriginIntent, express.json({ limit: '16kb' }), ...signInRateLimits(deps));
  app.post('/auth/password', requireSameOriginIntent, passwordChangeRateLimit(deps));
  app.use(sessionRoutes(deps));

  // Every /api/v1 request counts against its caller's limit, whichever route answers it.
  app.use('/api/v1', authenticate(deps.db, deps.authenticators), perCallerRateLimit(deps), v1Routes(deps));
  app.use(digestPageRoutes(deps));
  // Last: the pages of the web app, for any path the routes above did not answer.
  app.use(webAppRoutes(deps.webAppDir));

  app.use(notFoundRoute);
  app.use(problemHandler);
  return app;
}
