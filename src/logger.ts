// Structured JSON logs. Secrets are redacted by path, and no code logs a token or a key.
import pino from 'pino';

export type Logger = pino.Logger;

const REDACT = [
  'password', '*.password', 'token', '*.token', '*.accessToken', '*.refreshToken', '*.access_token',
  '*.refresh_token', '*.clientSecret', '*.client_secret', '*.apiKey', '*.secret', '*.code_verifier',
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]',
];

export function createLogger(level: string, base: Record<string, unknown> = {}, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'attribution', ...base },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
