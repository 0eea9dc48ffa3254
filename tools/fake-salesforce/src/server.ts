// The HTTP server: one express app serving the login host and the instance alike, with errors
// sent in Salesforce's shapes, and a close() that also ends kept-alive connections.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { ZodError } from 'zod';
import { bulk2Router } from './bulk2';
import { compositeRouter } from './composite';
import type { FakeContext } from './context';
import { OAuthError, RestError, notFound } from './errors';
import { versionResourcesRouter, versions } from './limits';
import { oauthRouter } from './oauth';
import { queryRouter } from './rest-query';
import { restGate } from './rest-gate';
import { sobjectsRouter } from './sobjects';

export function createApp(ctx: FakeContext, control: Router | null = null): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Every answer carries the org's clock (the settable one, not the machine's) in its Date header,
  // as an IMF-fixdate in whole seconds (RFC 9110 §6.6.1, https://www.rfc-editor.org/rfc/rfc9110#section-6.6.1):
  // the sync takes Salesforce's time from it, and a test that freezes or moves the clock must see
  // the same time there as in the SystemModstamps it writes. Node sends a Date of its own only when
  // none was set.
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Date', new Date(ctx.now()).toUTCString());
    next();
  });
  // Before the faults: a test's injected fault must not break its own control calls.
  if (control) app.use('/__control', control);
  app.use('/services/data', concurrencyGate(ctx.options.concurrentRequestLimit));
  app.use(ctx.faults.middleware);
  app.use(oauthRouter(ctx));
  app.get(['/services/data', '/services/data/'], (_req, res) => {
    res.set('Sforce-Limit-Info', ctx.usage.header()).json(versions());
  });

  const data = Router({ mergeParams: true });
  data.use(restGate(ctx));
  data.use(express.json({ type: ['application/json', 'application/*+json'], limit: '50mb' }));
  data.use(versionResourcesRouter(ctx));
  data.use(queryRouter(ctx));
  data.use(sobjectsRouter(ctx));
  data.use(compositeRouter(ctx));
  data.use(bulk2Router(ctx));
  data.use(() => {
    throw notFound();
  });
  app.use('/services/data/:version', data);

  app.use((_req: Request, res: Response) => void res.status(404).type('text').send('Not Found'));
  app.use(errorHandler);
  return app;
}

/**
 * Salesforce refuses requests beyond its concurrent long-running request limit with
 * REQUEST_LIMIT_EXCEEDED "ConcurrentPerOrgLongTxn Limit exceeded." (mautic/mautic#5006): not the
 * daily budget. Here every request in flight counts (a delayed fault makes them long).
 */
function concurrencyGate(limit: number) {
  let inFlight = 0;
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (inFlight >= limit) {
      res
        .status(403)
        .json([{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      return;
    }
    inFlight += 1;
    res.once('close', () => (inFlight -= 1));
    next();
  };
}

/** Salesforce's error shapes; anything unexpected is a 500 UNKNOWN_EXCEPTION, logged to stderr. */
function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  if (err instanceof RestError) return void res.status(err.status).json(err.body);
  if (err instanceof OAuthError) return void res.status(err.status).json(err.body);
  const parseFailed = (err as { type?: string }).type === 'entity.parse.failed';
  if (parseFailed) {
    return void res
      .status(400)
      .json([
        { message: `Unexpected character in JSON body: ${(err as Error).message}`, errorCode: 'JSON_PARSER_ERROR' },
      ]);
  }
  if (err instanceof ZodError) {
    const message = err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    if (req.path.startsWith('/services/oauth2'))
      return void res.status(400).json({ error: 'invalid_request', error_description: message });
    return void res.status(400).json([{ message, errorCode: 'INVALID_INPUT' }]);
  }
  process.stderr.write(
    `fake-salesforce: unexpected error on ${req.method} ${req.originalUrl}: ${(err as Error)?.stack ?? String(err)}\n`,
  );
  res.status(500).json([
    {
      message: 'An unexpected error occurred. Please include this ErrorId if you contact support: fake-salesforce',
      errorCode: 'UNKNOWN_EXCEPTION',
    },
  ]);
}

export async function listen(
  app: express.Express,
  port: number,
  host: string,
): Promise<{ server: Server; url: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  // A wildcard address is not somewhere a client can go; the loopback is.
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const shownHost = reachable.includes(':') ? `[${reachable}]` : reachable;
  return { server, url: `http://${shownHost}:${actual}` };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
