// The session cookie: HttpOnly (scripts never see the token), SameSite=Lax (not sent on
// cross-site subrequests or form posts), Secure whenever the service is reached over https.
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'cra_session';

/** A cookie of the request by name, or null. */
export function readCookie(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export function readSessionToken(req: Request): string | null {
  return readCookie(req, SESSION_COOKIE);
}

export function setSessionCookie(res: Response, token: string, maxAgeMs: number, secure: boolean): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge: maxAgeMs });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure });
}

export const isSecure = (publicUrl: string) => publicUrl.startsWith('https:');
