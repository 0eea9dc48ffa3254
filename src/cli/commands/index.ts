// Every admin CLI command.
import type { CliCommand } from '../command';
import { keyCommands } from './keys';
import { workspaceCommands } from './workspaces';

export const commands: CliCommand[] = [...workspaceCommands, ...keyCommands];
