// The ledger key of tests and of the processes they start without LEDGER_KEYS: the development key.
import { developmentLedgerKeys } from '../../src/ledger/keys';

export const testLedgerKeys = developmentLedgerKeys();
