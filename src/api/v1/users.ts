// The workspace's users, for its admins: the list, and a reset of another user's password to a
// temporary one shown once (src/access/password-changes.ts). Each reset is an audit line in the
// log: who reset whose password, never the password.
import { Router } from 'express';
import { z } from 'zod';
import { resetUserPassword } from '../../access/password-changes';
import { listUsers } from '../../access/users';
import type { User } from '../../platform/db/schema';
import { caller, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { apiDocs, json, problems } from '../openapi/registry';

const userView = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    createdAt: z.iso.datetime(),
    lastSignInAt: z.iso.datetime().nullable(),
    passwordChangeRequired: z.boolean().meta({ description: 'Reset by an admin and not changed yet.' }),
    you: z.boolean().meta({ description: 'The signed-in user making this request.' }),
  })
  .meta({ id: 'WorkspaceUser' });
const temporaryPasswordView = z
  .object({
    temporaryPassword: z.string().meta({
      description:
        'Shown this once: give it to the person by a channel you trust. It opens one session, within a day, that asks for a new password first.',
    }),
    expiresAt: z.iso.datetime(),
    user: userView,
  })
  .meta({ id: 'TemporaryPassword' });

const admin = { tags: ['Administration'], security: [{ apiKey: [] }] };
apiDocs.registerPath({
  ...admin,
  method: 'get',
  path: '/api/v1/admin/users',
  summary: "The workspace's users (never their passwords)",
  responses: { 200: json('Users', z.object({ users: z.array(userView) })), ...problems(401, 403) },
});
apiDocs.registerPath({
  ...admin,
  method: 'post',
  path: '/api/v1/admin/users/{id}/password-reset',
  summary: "Reset another user's password to a temporary one (shown once)",
  description:
    'Every session of that user ends; the temporary password lasts 24 hours and must be replaced at the next sign-in. ' +
    'Your own password is changed with POST /auth/password instead.',
  request: { params: z.object({ id: z.string() }) },
  responses: { 201: json('The temporary password', temporaryPasswordView), ...problems(401, 403, 404) },
});

export function userRoutes(deps: ApiDeps): Router {
  const router = Router();
  const onlyAdmin = requireScope('admin');
  const view = (u: User, me: { kind: string; id: string }): z.infer<typeof userView> => ({
    id: u.id,
    email: u.email,
    name: u.name,
    createdAt: u.createdAt.toISOString(),
    lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
    passwordChangeRequired: u.passwordChangeRequired,
    you: me.kind === 'user' && me.id === u.id,
  });

  router.get('/admin/users', onlyAdmin, async (req, res) => {
    const { workspaceId, principal } = caller(req);
    res.json({ users: (await listUsers(deps.db, workspaceId)).map((u) => view(u, principal)) });
  });

  router.post('/admin/users/:id/password-reset', onlyAdmin, async (req, res) => {
    const { workspaceId, principal } = caller(req);
    const reset = await resetUserPassword(deps.db, workspaceId, principal, String(req.params.id));
    req.log?.info(
      { event: 'password.reset', workspaceId, userId: reset.user.id, by: principal, expiresAt: reset.expiresAt },
      'password reset by an admin',
    );
    res.status(201).json({
      temporaryPassword: reset.temporaryPassword,
      expiresAt: reset.expiresAt.toISOString(),
      user: view(reset.user, principal),
    });
  });
  return router;
}
