// Sign-in for the web app: a workspace user's email and password open a session (cookie);
// API keys stay for machines. /auth/demo exists only while the local test Salesforce serves the
// demo org (npm start with no connected app): it signs in as the demo workspace's user.
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { endSession, resumeSession, SESSION_MAX_MS, startSession, pruneSessions } from '../../access/sessions';
import { decoyHash, verifyPassword } from '../../access/passwords';
import { changeOwnPassword, passwordChangeInput } from '../../access/password-changes';
import { checkCredentials } from '../../access/sign-in';
import { findDemoUser } from '../../access/users';
import type { User } from '../../platform/db/schema';
import type { ApiDeps } from '../deps';
import { AppError } from '../../platform/errors';
import { createSemaphore } from '../../platform/semaphore';
import { parseBody } from '../validate';
import { clearSessionCookie, isSecure, readSessionToken, setSessionCookie } from './cookie';
import { requireSameOriginIntent } from './csrf';
import { meOf } from './me';

const signInBody = z.object({
  email: z.string().trim().min(1, 'give your email').max(320),
  password: z.string().min(1, 'give your password').max(1024),
  workspace: z.string().trim().min(1).max(100).optional(),
});

const WRONG =
  'The email or the password is not right. Check both and try again; your workspace admin can create a new password for you.';

const EXPIRED =
  'This temporary password has expired (it lasts a day). Ask your workspace admin to reset your password again.';

export function sessionRoutes(deps: ApiDeps): Router {
  const router = Router();
  const secure = isSecure(deps.config.publicUrl);
  const json = express.json({ limit: '16kb' });
  router.use('/auth', (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  // scrypt costs ~100 ms of CPU: a spray of sign-ins waits its turn here, briefly, then gets 503,
  // and never delays a real sign-in by seconds.
  const hashing = createSemaphore({
    max: deps.config.signIn.hashConcurrency,
    maxWaitMs: 2_000,
    maxQueued: deps.config.signIn.hashConcurrency * 8,
    busy: 'too many sign-ins are being checked right now: try again in a few seconds',
  });

  // Made now, not by the first sign-in of an unknown email (which every sign-in behind it would wait for).
  void decoyHash().catch((err: unknown) => deps.logger.warn({ err }, 'could not make the decoy password hash'));

  const signIn = async (req: Request, res: Response, user: User) => {
    await pruneSessions(deps.db, user.id);
    const started = await startSession(deps.db, user);
    setSessionCookie(res, started.token, SESSION_MAX_MS, secure);
    req.log?.info({ workspaceId: user.workspaceId, userId: user.id }, 'signed in');
    res.json(await meOf(deps.db, user));
  };

  // The sign-in rate limit is mounted in front of this route (app.ts).
  router.post('/auth/sign-in', requireSameOriginIntent, json, async (req, res) => {
    const check = await checkCredentials(deps.db, parseBody(signInBody, req), hashing);
    if (check.outcome === 'invalid') throw new AppError('unauthorized', WRONG);
    if (check.outcome === 'expired') throw new AppError('unauthorized', EXPIRED);
    if (check.outcome === 'choose_workspace') {
      throw new AppError('conflict', 'this email and password open several workspaces: choose one', {
        details: { workspaces: check.workspaces },
      });
    }
    await signIn(req, res, check.user);
  });

  // The signed-in user's own password; the rate limit on wrong current passwords is in app.ts.
  router.post('/auth/password', requireSameOriginIntent, json, async (req, res) => {
    const token = readSessionToken(req);
    const found = token ? await resumeSession(deps.db, token) : null;
    if (!token || !found)
      throw new AppError('unauthorized', 'you are not signed in (or the session ended): sign in again');
    const { sessionsEnded } = await changeOwnPassword(
      deps.db,
      found.user,
      token,
      parseBody(passwordChangeInput, req),
      (password, hash) => hashing.run(() => verifyPassword(password, hash)),
    );
    // An audit line: who, and how many other sessions ended; never a password.
    req.log?.info(
      { event: 'password.changed', workspaceId: found.user.workspaceId, userId: found.user.id, sessionsEnded },
      'password changed by its user',
    );
    res.json(await meOf(deps.db, { ...found.user, passwordChangeRequired: false }));
  });

  router.post('/auth/sign-out', requireSameOriginIntent, async (req, res) => {
    const token = readSessionToken(req);
    if (token) await endSession(deps.db, token);
    clearSessionCookie(res, secure);
    res.status(204).end();
  });

  router.get('/auth/me', async (req, res) => {
    const token = readSessionToken(req);
    const found = token ? await resumeSession(deps.db, token) : null;
    if (!found) throw new AppError('unauthorized', 'you are not signed in (or the session ended): sign in again');
    res.json(await meOf(deps.db, found.user));
  });

  router.get('/auth/options', (_req, res) => {
    res.json({ demo: Boolean(deps.demoWorkspace), salesforce: deps.salesforce !== null });
  });

  if (deps.demoWorkspace) {
    const slug = deps.demoWorkspace;
    router.post('/auth/demo', requireSameOriginIntent, async (req, res) => {
      const user = await findDemoUser(deps.db, slug);
      if (!user) {
        throw new AppError(
          'unavailable',
          'the demo workspace is not set up yet: `npm start` creates it when the local test Salesforce runs',
        );
      }
      await signIn(req, res, user);
    });
  }
  return router;
}
