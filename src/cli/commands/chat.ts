// Chat commands (teams, webhook secrets): see the chat issue.
import type { CliCommand } from '../command';

export const chatCommands: CliCommand[] = [];
