// Who is signed in, as the web app needs it: the person and their workspace's settings.
import { z } from 'zod';
import { publicUser } from '../../access/users';
import type { DbOrTx } from '../../platform/db/client';
import type { User } from '../../platform/db/schema';
import { getWorkspace } from '../../workspaces/workspaces';

export const meView = z.object({
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    isDemo: z.boolean().meta({ description: 'The demo visitor: signs in without a password.' }),
    passwordChangeRequired: z
      .boolean()
      .meta({ description: 'An admin reset the password: the app asks for a new one before anything else.' }),
  }),
  workspace: z.object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    timeZone: z.string(),
    reportingCurrency: z.string(),
    attributionWindowDays: z.number().int(),
    isDemo: z.boolean().meta({ description: 'Sample data: never mixed with a real workspace.' }),
  }),
});
export type MeView = z.infer<typeof meView>;

export async function meOf(db: DbOrTx, user: User): Promise<MeView> {
  const w = await getWorkspace(db, user.workspaceId);
  return {
    user: { ...publicUser(user), isDemo: user.isDemo, passwordChangeRequired: user.passwordChangeRequired },
    workspace: {
      id: w.id,
      slug: w.slug,
      name: w.name,
      timeZone: w.timeZone,
      reportingCurrency: w.reportingCurrency,
      attributionWindowDays: w.attributionWindowDays,
      isDemo: w.isDemo,
    },
  };
}
