// Salesforce connection commands: see the Salesforce issue.
import type { CliCommand } from '../command';

export const salesforceCommands: CliCommand[] = [];
