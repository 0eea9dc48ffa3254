// axe-core in the page (through @axe-core/playwright): the one place the browser tests check
// accessibility. A serious or critical finding fails the test, named with where it is.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Serious and critical findings on the page as it stands (WCAG 2.x A and AA, and best practice). */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  // @axe-core/playwright types its page as playwright's; playwright-core's is the same class.
  const results = await new AxeBuilder({ page: page as ConstructorParameters<typeof AxeBuilder>[0]['page'] })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      rule: v.id,
      impact: v.impact!,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
}

/** Fails with every serious or critical finding, so one run lists them all. */
export async function expectNoSeriousAxeFindings(page: Page, where: string): Promise<void> {
  const findings = await axeFindings(page);
  expect({ where, findings }).toEqual({ where, findings: [] });
}
