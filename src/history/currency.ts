// Converts opportunity amounts to the workspace's reporting currency with the org's rates.
// Salesforce keeps every rate per unit of the corporate currency, so
//   reporting = amount / rate(amount's currency) * rate(reporting currency),
// using, with advanced currency management, the dated rate whose [StartDate, NextStartDate)
// holds the opportunity's CloseDate (as Salesforce converts opportunities), else the
// CurrencyType rate. Rounded to cents, half away from zero.
import type { Cents } from '../attribution/money';

export interface Rate {
  isoCode: string;
  rate: string;
  startDate: string | null;
  nextStartDate: string | null;
}

const SCALE = 12;

function scaled(rate: string): bigint {
  const [whole, frac = ''] = rate.split('.');
  return BigInt(whole!) * 10n ** BigInt(SCALE) + BigInt((frac + '0'.repeat(SCALE)).slice(0, SCALE));
}

export class CurrencyConverter {
  private readonly fixed = new Map<string, bigint>();
  private readonly dated = new Map<string, { start: string; next: string | null; rate: bigint }[]>();
  /** Codes an amount came in for which no rate exists (reported, converted as 1:1). */
  readonly missing = new Set<string>();

  constructor(
    readonly reporting: string,
    rates: Rate[],
  ) {
    for (const r of rates) {
      if (r.startDate) {
        const list = this.dated.get(r.isoCode) ?? [];
        list.push({ start: r.startDate, next: r.nextStartDate, rate: scaled(r.rate) });
        this.dated.set(r.isoCode, list);
      } else {
        this.fixed.set(r.isoCode, scaled(r.rate));
      }
    }
  }

  get active(): boolean {
    return this.fixed.size > 0 || this.dated.size > 0;
  }

  convert(amount: Cents, currency: string | null, closeDate: string | null): Cents {
    if (!this.active || !currency || currency === this.reporting) return amount;
    const from = this.rateFor(currency, closeDate);
    const to = this.rateFor(this.reporting, closeDate);
    if (!from || !to) {
      this.missing.add(from ? this.reporting : currency);
      return amount;
    }
    const num = amount * to;
    let q = num / from;
    const rem = num % from;
    if (2n * (rem < 0n ? -rem : rem) >= from) q += num < 0n ? -1n : 1n;
    return q;
  }

  private rateFor(code: string, day: string | null): bigint | null {
    const dated = this.dated.get(code);
    if (dated && day) {
      const hit = dated.find((d) => d.start <= day && (d.next === null || day < d.next));
      if (hit) return hit.rate;
    }
    return this.fixed.get(code) ?? null;
  }
}
