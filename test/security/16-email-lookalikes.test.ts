// Finding 16 of the attack round: "Email linking normalises Unicode look-alikes it should not. The
// Kelvin sign (U+212A) linked to a contact with `k` in its email. Lower-case only ASCII letters [...];
// ATTRIBUTION.md rule 2 means plain trim and lower-case."
// One normaliser, normalizeEmail (attribution/history.ts), and its SQL twin email_normalized()
// (migration 0010), now trim ASCII white space and lower-case A-Z only: linking, sign-in, the
// sign-in limiter and the reports that normalise in the database all compare the same way.
import { sql } from 'drizzle-orm';
import { checkCredentials } from '../../src/access/sign-in';
import { createUser } from '../../src/access/users';
import { normalizeEmail } from '../../src/attribution/history';
import { LinkIndex } from '../../src/attribution/links';
import { newWorkspace } from '../api/helpers';
import { useTestDatabase } from '../support/database';

const KELVIN = '\u212A';
const database = useTestDatabase();

const contact = (contactId: string, email: string) => ({
  versionId: `${contactId}.v0`,
  at: 1,
  seq: 1,
  deleted: false,
  contactId,
  email,
});
const chat = (id: string, email: string) => ({ id, at: 100, teamId: 'sales', agentId: null, emails: [email] });

describe('finding 16: email look-alikes do not link', () => {
  it('does not link a chat from the Kelvin sign to a contact with k in its email', () => {
    const links = new LinkIndex(
      [contact('K1', 'kate@acme.example')],
      [],
      [chat('attack', `${KELVIN}ate@acme.example`), chat('real', ' KATE@Acme.Example\t')],
    );
    expect(links.chatsOf('K1').map((l) => l.chat.id)).toEqual(['real']);
  });

  it('lower-cases only A-Z and trims only ASCII white space', () => {
    expect(normalizeEmail(`${KELVIN}ate@acme.example`)).toBe(`${KELVIN}ate@acme.example`);
    expect(normalizeEmail('\u00C9LISE@Acme.example')).toBe('\u00C9lise@acme.example');
    expect(normalizeEmail(' \t Ana@X.io \r\n')).toBe('ana@x.io');
    expect(normalizeEmail('\u00A0ana@x.io')).toBe('\u00A0ana@x.io');
    expect(normalizeEmail(' \t')).toBeNull();
  });

  it('normalises in SQL exactly as in TypeScript', async () => {
    const samples = [
      `${KELVIN}ate@acme.example`,
      '\u00C9LISE@Acme.example',
      ' \t Ana@X.io \r\n',
      '\u00A0ana@x.io',
      ' ',
    ];
    for (const email of samples) {
      const [row] = await database.db.execute<{ n: string | null }>(sql`select email_normalized(${email}) as n`);
      expect(row!.n).toBe(normalizeEmail(email));
    }
  });

  it('does not sign in kate@ with the Kelvin sign', async () => {
    const ws = await newWorkspace(database.db, 'lookalike');
    const password = 'correct horse battery';
    await createUser(database.db, ws.id, { email: 'kate@acme.example', name: 'Kate', password });
    expect((await checkCredentials(database.db, { email: ' KATE@acme.example', password })).outcome).toBe('signed_in');
    expect((await checkCredentials(database.db, { email: `${KELVIN}ate@acme.example`, password })).outcome).toBe(
      'invalid',
    );
  });
});
