// Every admin CLI command.
import type { CliCommand } from '../command';
import { chatCommands } from './chat';
import { databaseCommands } from './database';
import { keyCommands } from './keys';
import { salesforceCommands } from './salesforce';
import { userCommands } from './users';
import { workspaceCommands } from './workspaces';

export const commands: CliCommand[] = [
  ...workspaceCommands,
  ...keyCommands,
  ...userCommands(),
  ...chatCommands,
  ...salesforceCommands,
  ...databaseCommands,
];
