// Injected faults: a request whose path matches is delayed, answered with an error, or has its
// connection dropped, a number of times. Runs before everything else, so nothing is counted.
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';

export const faultSpec = z.object({
  /** Tested against the request path (without the query string). */
  match: z.instanceof(RegExp),
  /** Only requests with this HTTP method; all methods when absent. */
  method: z.string().optional(),
  status: z.number().int().min(100).max(599).optional(),
  /** The response body: JSON unless a string; a Salesforce-style error for the status when absent. */
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** The Content-Type of a string body (text/plain by default; text/html for a maintenance page). */
  contentType: z.string().optional(),
  delayMs: z.number().int().min(0).optional(),
  /** How many matching requests are affected (default 1). */
  times: z.number().int().positive().default(1),
  /** Destroy the socket without answering (the client sees ECONNRESET / socket hang up). */
  dropConnection: z.boolean().default(false),
});

export type FaultSpec = z.input<typeof faultSpec>;
export type FaultHandle = { readonly hits: number; readonly remaining: number; remove(): void };

type Fault = z.output<typeof faultSpec> & { hits: number };

export class Faults {
  private faults: Fault[] = [];

  add(input: FaultSpec): FaultHandle {
    const fault: Fault = { ...faultSpec.parse(input), hits: 0 };
    this.faults.push(fault);
    return {
      get hits() {
        return fault.hits;
      },
      get remaining() {
        return fault.times - fault.hits;
      },
      remove: () => {
        this.faults = this.faults.filter((f) => f !== fault);
      },
    };
  }

  clear(): void {
    this.faults = [];
  }

  readonly middleware = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const path = req.originalUrl.split('?')[0] ?? '';
    const fault = this.faults.find(
      (f) => f.hits < f.times && f.match.test(path) && (!f.method || f.method.toUpperCase() === req.method),
    );
    if (!fault) return next();
    fault.hits += 1;
    if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault.dropConnection) {
      req.socket.destroy();
      return;
    }
    if (fault.status === undefined) return next();
    if (fault.headers) res.set(fault.headers);
    const body = fault.body === undefined ? defaultBody(fault.status) : fault.body;
    if (typeof body === 'string')
      res
        .status(fault.status)
        .type(fault.contentType ?? 'text/plain')
        .send(body);
    else res.status(fault.status).json(body);
  };
}

function defaultBody(status: number): unknown {
  switch (status) {
    case 401:
      return [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
    case 403:
      return [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }];
    case 503:
      return [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }];
    default:
      if (status >= 500) {
        return [
          {
            message:
              'An unexpected error occurred. Please include this ErrorId if you contact support: 0000000-0 (injected fault)',
            errorCode: 'UNKNOWN_EXCEPTION',
          },
        ];
      }
      return [{ message: `Injected fault (HTTP ${status})`, errorCode: 'INJECTED_FAULT' }];
  }
}
