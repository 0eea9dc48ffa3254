// Structured JSON logs. Secrets are redacted by path, and no code logs a token or a key.
import pino from 'pino';

export type Logger = pino.Logger;

const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.clientSecret',
  '*.client_secret',
  '*.apiKey',
  '*.secret',
  '*.code_verifier',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/** Cuts what drizzle appends to a failed query's message: its parameters (emails, names, phones). */
export function withoutQueryParams(text: string): string {
  const i = text.indexOf('\nparams:');
  return i < 0 ? text : `${text.slice(0, i)}\nparams: [not logged]`;
}

/** The standard error serializer, minus query parameters anywhere in the message or stack. */
export function errSerializer(err: Error): Record<string, unknown> {
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const key of ['message', 'stack'])
    if (typeof out[key] === 'string') out[key] = withoutQueryParams(out[key] as string);
  return out;
}

export function createLogger(
  level: string,
  base: Record<string, unknown> = {},
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    serializers: { err: errSerializer },
    level,
    base: { service: 'attribution', ...base },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
