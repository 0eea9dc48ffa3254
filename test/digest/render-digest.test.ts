// The digest's HTML: email-safe (inline styles, no <style> or <script>), every string escaped,
// money exact, and the change against the week before.
import type { DigestData } from '../../src/digest/digest-report';
import { escapeHtml, renderDigest } from '../../src/digest/render-digest';

const HOSTILE = `<script>alert('x')</script>"&'<img src=x onerror=alert(1)>`;

function digest(overrides: Partial<DigestData> = {}): DigestData {
  const totals = {
    totalChats: 1200,
    qualifiedChats: 30,
    leadVolume: 12,
    targetAccounts: 4,
    meetingsBooked: 3,
    pipelineInfluenced: '1234567.89',
    closedWonInfluenced: '-50.10',
  };
  return {
    workspace: { name: HOSTILE, timeZone: 'Europe/Paris', currency: 'EUR' },
    view: { id: 'v1', name: HOSTILE, teams: [{ id: 'sales', name: HOSTILE }], model: 'linear' },
    week: { from: '2026-11-23', to: '2026-11-29' },
    previous: { from: '2026-11-16', to: '2026-11-22' },
    totals: {
      week: totals,
      previous: { ...totals, totalChats: 1000, pipelineInfluenced: '1234567.90', closedWonInfluenced: '-50.10' },
    },
    topOpportunities: [
      {
        id: '006"><b>',
        name: HOSTILE,
        account: { id: 'A1', name: HOSTILE },
        stage: HOSTILE,
        pipelineInfluenced: '9007199254740993.01',
        closedWonInfluenced: '0.00',
      } as DigestData['topOpportunities'][number],
    ],
    topAgents: [
      {
        agentId: 'a"1',
        name: HOSTILE,
        conversations: 5,
        pipelineInfluenced: '10.00',
        credit: { pipeline: '3.33', closedWon: '0.00' },
      } as DigestData['topAgents'][number],
    ],
    ...overrides,
  };
}

describe('renderDigest', () => {
  const { html, text, subject } = renderDigest(digest(), { baseUrl: 'https://attribution.example.com/' });

  it('escapes every string that came from outside', () => {
    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).not.toContain(HOSTILE);
    expect(html.split(escapeHtml(HOSTILE)).length - 1).toBeGreaterThanOrEqual(6);
    expect(html).toContain('data-opportunity="006&quot;&gt;&lt;b&gt;"');
    expect(html).toContain('href="https://attribution.example.com/ledger/opportunities/006%22%3E%3Cb%3E"');
    expect(subject).toContain(HOSTILE); // a header, not HTML: the mail library encodes it
  });

  it('uses only what email clients render: inline styles and tables, no <style>, <script> or classes', () => {
    expect(html).not.toMatch(/<style|<script|<link|class=/i);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('role="presentation"');
  });

  it('formats money exactly, beyond what a float holds, and the change against the week before', () => {
    expect(html).toContain('€9,007,199,254,740,993.01');
    expect(html).toMatch(/data-figure="pipelineInfluenced" data-value="1234567.89">€1,234,567.89</);
    expect(html).toContain('−€0.01');
    expect(html).toContain('+200');
    expect(html).toMatch(
      /data-figure="closedWonInfluenced"[^>]*>-€50.10<\/td><td[^>]*>-€50.10<\/td><td[^>]*>no change</,
    );
  });

  it('says when nothing was influenced and no agent chatted', () => {
    const quiet = renderDigest(digest({ topOpportunities: [], topAgents: [] }), { baseUrl: '' }).html;
    expect(quiet).toContain('No opportunity was influenced last week.');
    expect(quiet).toContain('No agent chatted last week.');
  });

  it('has a plain-text part with the same figures', () => {
    expect(text).toContain('Chats: 1,200 (week before: 1,000)');
    expect(text).toContain('Pipeline Influenced: €1,234,567.89 (week before: €1,234,567.90)');
    expect(text).toContain('https://attribution.example.com/?range=custom&from=2026-11-23&to=2026-11-29&teams=sales');
  });
});
