// The org's daily API request count, reported on every REST response as Sforce-Limit-Info and
// refused with REQUEST_LIMIT_EXCEEDED once it reaches the limit. Like Salesforce's, the window
// rolls over 24 hours of the org's clock: requests are counted per hour, and an hour stops
// counting once all of it is more than 24 hours ago (so a request drops off after 24 to 25 hours).
import type { UsageState } from './persisted-state';

const HOUR = 60 * 60 * 1000;
const WINDOW = 24 * HOUR;

export class ApiUsage {
  /** Start of the hour -> requests counted in it, oldest first. */
  private readonly hours = new Map<number, number>();

  constructor(
    readonly max: number,
    private readonly now: () => number,
    /** Called after every change, so the count can be saved. */
    private readonly changed: () => void = () => {},
  ) {}

  /** Requests in the last 24 hours. */
  get used(): number {
    this.dropExpired();
    let total = 0;
    for (const count of this.hours.values()) total += count;
    return total;
  }

  get exceeded(): boolean {
    return this.used >= this.max;
  }

  count(): void {
    const hour = this.currentHour();
    this.hours.set(hour, (this.hours.get(hour) ?? 0) + 1);
    this.changed();
  }

  /** Makes the window hold exactly n requests, all made now (e.g. the limit, to test refusals). */
  set(n: number): void {
    this.hours.clear();
    if (n > 0) this.hours.set(this.currentHour(), n);
    this.changed();
  }

  /** The Sforce-Limit-Info header value, e.g. "api-usage=18/15000". */
  header(): string {
    return `api-usage=${this.used}/${this.max}`;
  }

  serialize(): UsageState {
    return { hours: [...this.hours].map(([start, count]) => ({ start, count })) };
  }

  restore(state: UsageState): void {
    this.hours.clear();
    for (const h of state.hours) this.hours.set(h.start, h.count);
  }

  private currentHour(): number {
    return Math.floor(this.now() / HOUR) * HOUR;
  }

  private dropExpired(): void {
    const now = this.now();
    for (const start of this.hours.keys()) if (start + HOUR + WINDOW <= now) this.hours.delete(start);
  }
}
