import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ErrorBody, ErrorCode } from '@kaowu/contracts';

/** A route that takes more than the default JSON body, or raw bytes (files, upload chunks). */
export interface BodyRule {
  method: 'POST' | 'PUT' | 'PATCH';
  /** Matched against the path without the query string. */
  path: RegExp;
  /** Largest body accepted, in bytes. */
  limit: number;
  /** Content types taken as raw bytes (req.body is a Buffer); JSON is always accepted. */
  raw?: string[];
  /**
   * The caller must name a credential (an Authorization header) before a byte of the body is
   * read, so nobody anonymous can make the server take in hundreds of megabytes. The route's guard
   * still checks the credential itself.
   */
  credentialFirst?: boolean;
}

export interface RequestHygieneOptions {
  /** Origins (scheme://host:port) of the consoles allowed to change state, besides the server's own. */
  allowedOrigins: string[];
  /** JSON body limit of every other route, in bytes. */
  defaultLimit: number;
  bodies: BodyRule[];
  onRefused?: (req: Request, error: ErrorBody) => void;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const hasNulInUrl = (url: string) => url.includes('\0') || /%00/.test(url);
const NUL_IN_JSON = Buffer.from('\\u0000');

const refusal = (code: ErrorCode, message: string, messageEn: string, field?: string): ErrorBody => ({ code, message, messageEn, ...(field ? { field } : {}) });
const STATUS: Partial<Record<ErrorCode, number>> = { VALIDATION_FAILED: 400, ORIGIN_FORBIDDEN: 403, PAYLOAD_TOO_LARGE: 413, UNSUPPORTED_MEDIA_TYPE: 415, UNAUTHORIZED: 401 };

const megabytes = (n: number) => (n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.round(n / 1024)} KB`);

/** The server's own origin as the browser names it (the Host the request came to). */
const ownOrigins = (req: Request): string[] => {
  const host = req.headers.host;
  return host ? [`http://${host}`, `https://${host}`] : [];
};

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * The one door every request goes through before any route sees it:
 * - a NUL byte in the URL or a JSON body is refused (400) instead of reaching the database;
 * - a state change from a page of another origin is refused (403 ORIGIN_FORBIDDEN): CSRF;
 * - a state change takes JSON only, except the routes that take files (415 otherwise);
 * - bodies are capped per route (413 PAYLOAD_TOO_LARGE with the limit), small by default;
 * - file routes need a credential named before the body is read.
 * Replaces Nest's own body parsers (create the app with `bodyParser: false`); keeps `req.rawBody`.
 */
export function requestHygiene(opts: RequestHygieneOptions): RequestHandler {
  const allowed = new Set(opts.allowedOrigins.map((o) => o.replace(/\/+$/, '')));
  const keepRaw = (req: Request, _res: Response, buf: Buffer) => {
    (req as Request & { rawBody?: Buffer }).rawBody = buf;
  };
  const parsers = new Map<BodyRule | null, { json: RequestHandler; raw?: RequestHandler }>();
  const parsersOf = (rule: BodyRule | null) => {
    let p = parsers.get(rule);
    if (!p) {
      const limit = rule?.limit ?? opts.defaultLimit;
      p = {
        json: express.json({ limit, verify: keepRaw, type: ['application/json', 'application/*+json'] }),
        raw: rule?.raw ? express.raw({ limit, type: rule.raw }) : undefined,
      };
      parsers.set(rule, p);
    }
    return p;
  };

  return (req: Request, res: Response, next: NextFunction) => {
    const refuse = (error: ErrorBody) => {
      opts.onRefused?.(req, error);
      // The body is not read: ask the client to close so it stops sending.
      res.set('connection', 'close');
      res.status(STATUS[error.code] ?? 400).json(error);
    };
    if (hasNulInUrl(req.originalUrl)) return refuse(refusal('VALIDATION_FAILED', '请求地址含有不允许的字符（NUL）', 'the URL contains a NUL character', 'url'));

    const method = req.method.toUpperCase();
    if (!STATE_CHANGING.has(method)) return next();

    const origin = req.headers.origin;
    // A browser names the page's origin on every state change; 'null' (sandboxed or file pages) is refused too.
    // Requests without an Origin come from programs (the venue server, the CLI), which hold credentials instead.
    if (origin !== undefined && (origin === 'null' || (!allowed.has(origin) && !ownOrigins(req).includes(origin)))) {
      return refuse(refusal('ORIGIN_FORBIDDEN', `不接受来自其他网站（${origin}）的操作请求`, `state-changing requests from ${origin} are not accepted`, 'origin'));
    }

    const path = req.path;
    const rule = opts.bodies.find((r) => r.method === method && r.path.test(path)) ?? null;
    if (!hasBody(req)) return next();
    const limit = rule?.limit ?? opts.defaultLimit;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      return refuse(refusal('PAYLOAD_TOO_LARGE', `请求内容超过本接口上限（${megabytes(limit)}）`, `the body exceeds this route's limit of ${limit} bytes`, 'body'));
    }
    if (rule?.credentialFirst && !req.headers.authorization) {
      return refuse(refusal('UNAUTHORIZED', '上传文件前请先登录（需要 Authorization 凭据）', 'name a credential (Authorization) before sending a file', 'authorization'));
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const p = parsersOf(rule);
    const isJson = type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
    if (!isJson && !(rule?.raw?.includes(type))) {
      const accepted = ['application/json', ...(rule?.raw ?? [])].join(', ');
      return refuse(refusal('UNSUPPORTED_MEDIA_TYPE', `本接口只接受 ${accepted} 格式的请求内容`, `this route accepts ${accepted} only (got ${type || 'no content type'})`, 'content-type'));
    }
    const parser = isJson ? p.json : (p.raw as RequestHandler);
    parser(req, res, (err?: unknown) => {
      if (err) {
        const e = err as { type?: string; status?: number };
        if (e.type === 'entity.too.large' || e.status === 413) return refuse(refusal('PAYLOAD_TOO_LARGE', `请求内容超过本接口上限（${megabytes(limit)}）`, `the body exceeds this route's limit of ${limit} bytes`, 'body'));
        return refuse(refusal('VALIDATION_FAILED', '请求内容不是有效的 JSON', 'the body is not valid JSON', 'body'));
      }
      const raw = (req as Request & { rawBody?: Buffer }).rawBody;
      if (isJson && raw && raw.includes(NUL_IN_JSON)) return refuse(refusal('VALIDATION_FAILED', '请求内容含有不允许的字符（NUL）', 'the body contains a NUL character', 'body'));
      next();
    });
  };
}

/** Comma-separated origins from configuration, trimmed, empty entries dropped. */
export const originList = (text: string | undefined): string[] => (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
