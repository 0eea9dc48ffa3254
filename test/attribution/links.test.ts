// Rule 2 linking, and the versions a link cites: the same whatever order the history is listed in.
import type { ContactVersion, LeadVersion } from '../../src/attribution/history';
import { LinkIndex } from '../../src/attribution/links';

const contact = (versionId: string, at: number, contactId: string, email: string | null): ContactVersion => ({
  versionId,
  at,
  seq: at,
  deleted: false,
  contactId,
  email,
});
const lead = (versionId: string, at: number, email: string | null, convertedContactId: string | null): LeadVersion => ({
  versionId,
  at,
  seq: at,
  deleted: false,
  leadId: versionId.split('.')[0]!,
  email,
  convertedContactId,
});
const chat = (id: string, emails: string[]) => ({ id, at: 100, teamId: 'sales', agentId: null, emails });

describe('LinkIndex', () => {
  it('links a chat once to each contact, through any version of the contact or of a lead converted into it', () => {
    const links = new LinkIndex(
      [
        contact('K1.v0', 1, 'K1', 'old@acme.io'),
        contact('K1.v1', 2, 'K1', 'new@acme.io'),
        contact('K2.v0', 1, 'K2', 'NEW@acme.io '),
      ],
      [lead('L1.v0', 1, 'lead@gmail.io', null), lead('L1.v1', 2, null, 'K3')],
      [chat('c1', ['old@acme.io', 'new@acme.io']), chat('c2', ['Lead@Gmail.io']), chat('c3', []), chat('c4', ['  '])],
    );
    expect(
      [links.chatsOf('K1'), links.chatsOf('K2'), links.chatsOf('K3'), links.chatsOf('K9')].map((l) =>
        l.map((x) => x.chat.id),
      ),
    ).toEqual([['c1'], ['c1'], ['c2'], []]);
    expect(links.linkVersions('lead@gmail.io', 'K3')).toEqual(['L1.v0']);
  });

  it('cites the versions carrying an email in time order, whatever the order they were listed in', () => {
    // Found by the shuffle property: the loader reads versions without ORDER BY.
    const versions = [contact('K1.v0', 1, 'K1', 'a@x.io'), contact('K1.v1', 2, 'K1', 'a@x.io')];
    const leads = [lead('L1.v0', 1, 'a@x.io', 'K1'), lead('L1.v1', 2, 'a@x.io', null)];
    const cited = (c: ContactVersion[], l: LeadVersion[]) => new LinkIndex(c, l, []).linkVersions('a@x.io', 'K1');
    expect(cited(versions, leads)).toEqual(['K1.v0', 'K1.v1', 'L1.v0', 'L1.v1']);
    expect(cited([...versions].reverse(), [...leads].reverse())).toEqual(['K1.v0', 'K1.v1', 'L1.v0', 'L1.v1']);
  });

  it('cites the smallest of several emails of a chat that link the same contact, whatever their order', () => {
    const contacts = [contact('K1.v0', 1, 'K1', 'dee@globex.io'), contact('K1.v1', 2, 'K1', 'ann@acme.io')];
    const emailOf = (emails: string[]) =>
      new LinkIndex(contacts, [], [chat('c1', emails)]).chatsOf('K1').map((l) => l.email);
    expect(emailOf(['dee@globex.io', 'ann@acme.io'])).toEqual(['ann@acme.io']);
    expect(emailOf(['ANN@acme.io', 'dee@globex.io'])).toEqual(['ann@acme.io']);
  });
});
