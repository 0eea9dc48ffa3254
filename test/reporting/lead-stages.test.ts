// The default funnel stage of a Lead Status value, from the picklist's flags and its name.
import { defaultStage } from '../../src/reporting/lead-stages';

const value = (label: string, flags: { isConverted?: boolean; isDefault?: boolean } = {}) => ({
  apiName: label,
  label,
  isConverted: flags.isConverted ?? false,
  isDefault: flags.isDefault ?? false,
});

describe('the default stage of a Lead Status value', () => {
  it.each([
    // Salesforce's standard picklist
    ['Open - Not Contacted', { isDefault: true }, 'mql'],
    ['Working - Contacted', {}, 'sql'],
    ['Closed - Converted', { isConverted: true }, 'sql'],
    ['Closed - Not Converted', {}, 'rejected'],
    // older orgs' standard values and common custom ones
    ['Open', {}, 'mql'],
    ['Contacted', {}, 'sql'],
    ['Qualified', {}, 'sql'],
    ['Unqualified', {}, 'rejected'],
    ['Marketing Qualified', {}, 'mql'],
    ['MQL', {}, 'mql'],
    ['Sales Accepted', {}, 'sql'],
    ['SQL', {}, 'sql'],
    ['New', {}, 'mql'],
    ['Disqualified - Junk', {}, 'rejected'],
    ['Nurture', {}, 'none'],
    ['Recycled', { isDefault: true }, 'mql'],
  ] as const)('%s → %s', (label, flags, stage) => {
    expect(defaultStage(value(label, flags))).toBe(stage);
  });
});
