// Database commands: the restricted role the service connects as.
import { grantServiceRole } from '../../../platform/db/roles';
import { required, type CliCommand } from '../command';

export const databaseCommands: CliCommand[] = [
  {
    name: 'db:roles',
    summary:
      'create (or bring up to date) the database role the service connects as: INSERT and SELECT only on the ledger; run as the owner',
    usage: '--role NAME',
    options: { role: { type: 'string' } },
    async run({ root, out }, v) {
      // The owner: DATABASE_MIGRATION_URL when set, else DATABASE_URL (migrations run there first).
      const ownerUrl = root.config.database.migrationUrl ?? (await root.database()).url;
      const { role, password } = await grantServiceRole(ownerUrl, required(v, 'role'));
      out(`role ${role}: SELECT, INSERT, UPDATE, DELETE on the service's tables; only SELECT and INSERT on the ledger`);
      if (password) {
        const url = new URL(ownerUrl);
        url.username = role;
        url.password = password;
        out('');
        out('Created with this password (shown once). Run the service with:');
        out(`  DATABASE_URL=${url.toString()}`);
        out(`  DATABASE_MIGRATION_URL=<the owner's URL, as this command used>`);
      }
    },
  },
];
