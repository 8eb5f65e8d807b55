import type { EmulatorCore } from '../core/emulator-core.js';

/** What a route handler gets. */
export interface RouteContext {
  request: Request;
  url: URL;
  params: Record<string, string>;
  core: EmulatorCore;
}

/** One route: `path` segments starting with `:` capture a parameter. */
export interface Route {
  method: string;
  path: string;
  handle(context: RouteContext): Response | Promise<Response>;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'not-found' };

function matchPath(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const expected = pattern[i]!;
    const actual = segments[i]!;
    if (expected.startsWith(':')) {
      if (actual === '') return undefined;
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

/** A tiny router: exact segments and `:params`, 405 when only the method is wrong. */
export function createRouteTable(routes: readonly Route[]) {
  const compiled = routes.map((route) => ({ route, pattern: route.path.split('/') }));
  return {
    match(method: string, pathname: string): RouteMatch {
      const segments = pathname.split('/');
      const allowed: string[] = [];
      for (const { route, pattern } of compiled) {
        const params = matchPath(pattern, segments);
        if (!params) continue;
        if (route.method === method) return { kind: 'found', route, params };
        allowed.push(route.method);
      }
      return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'not-found' };
    },
  };
}
