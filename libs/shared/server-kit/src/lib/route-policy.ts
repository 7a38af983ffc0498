import { ExecutionContext, INestApplication, RequestMethod, SetMetadata } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';

/**
 * Deny by default: every route declares who may call it, and each server's global guard refuses a
 * route that declares nothing (ROUTE_POLICY_MISSING). A policy is a plain object with a `kind`; each
 * server defines its kinds (staff roles, venue credential, candidate, …) and `public` is shared.
 */
export const ROUTE_POLICY = 'kaowu:route-policy';

export interface RoutePolicyBase {
  kind: string;
}

/** Public routes say why they may be public: what protects what they serve. */
export interface PublicPolicy extends RoutePolicyBase {
  kind: 'public';
  why: string;
}

export const RoutePolicy = <P extends RoutePolicyBase>(policy: P) => SetMetadata(ROUTE_POLICY, policy);

/** A route anyone may call; `why` names what protects it (signed, sealed, rate-limited, …). */
export const Public = (why: string) => RoutePolicy<PublicPolicy>({ kind: 'public', why });

/** The policy of the route being handled: the handler's, else its controller's. */
export function declaredPolicy<P extends RoutePolicyBase>(reflector: Reflector, context: ExecutionContext): P | undefined {
  return reflector.getAllAndOverride<P | undefined>(ROUTE_POLICY, [context.getHandler(), context.getClass()]);
}

export interface RouteEntry {
  method: string;
  /** Express-style path with `:params`, always starting with `/`. */
  path: string;
  controller: string;
  handler: string;
  policy: RoutePolicyBase | undefined;
}

const joinPath = (...parts: string[]) => '/' + parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');

/**
 * Every HTTP route of a running Nest application with its declared policy, read from the
 * controllers Nest actually mounted (not a hand-kept list) — for the authorization matrix test.
 */
export function routeTable(app: INestApplication): RouteEntry[] {
  const routes: RouteEntry[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!type) continue;
      const base = [Reflect.getMetadata(PATH_METADATA, type) ?? ''].flat() as string[];
      const classPolicy = Reflect.getMetadata(ROUTE_POLICY, type) as RoutePolicyBase | undefined;
      const proto = type.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name === 'constructor') continue;
        const fn = proto[name];
        if (typeof fn !== 'function') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        if (paths === undefined || method === undefined) continue;
        for (const b of base)
          for (const p of [paths].flat())
            routes.push({ method: RequestMethod[method], path: joinPath(b, p), controller: type.name, handler: name, policy: (Reflect.getMetadata(ROUTE_POLICY, fn) as RoutePolicyBase | undefined) ?? classPolicy });
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
