// The org's daily API request count, reported on every REST response as Sforce-Limit-Info and
// refused with REQUEST_LIMIT_EXCEEDED once it reaches the limit. It does not reset by itself.
export class ApiUsage {
  used = 0;

  constructor(readonly max: number) {}

  get exceeded(): boolean {
    return this.used >= this.max;
  }

  count(): void {
    this.used += 1;
  }

  /** The Sforce-Limit-Info header value, e.g. "api-usage=18/15000". */
  header(): string {
    return `api-usage=${this.used}/${this.max}`;
  }
}
