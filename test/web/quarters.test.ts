// The quarter presets of the range picker: complete days in the workspace's zone, ending yesterday.
import { quarterPreset } from '../../web/src/lib/quarters';

describe('quarter presets', () => {
  it('quarter to date runs from the first day of the quarter to yesterday', () => {
    expect(quarterPreset('qtd', '2026-12-02')).toEqual({ from: '2026-10-01', to: '2026-12-01' });
  });
  it('on the first day of a quarter, quarter to date is the whole quarter before', () => {
    expect(quarterPreset('qtd', '2026-10-01')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
  });
  it('last quarter is the complete quarter before this one, across a year end', () => {
    expect(quarterPreset('last-quarter', '2026-02-15')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(quarterPreset('last-quarter', '2026-12-02')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
  });
  it('year to date starts on January 1, and on January 1 is the year before', () => {
    expect(quarterPreset('ytd', '2026-12-02')).toEqual({ from: '2026-01-01', to: '2026-12-01' });
    expect(quarterPreset('ytd', '2026-01-01')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
  });
});
