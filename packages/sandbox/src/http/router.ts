/** Method + path matching with `:param` segments; tells 404 (no such path) from 405 (wrong method). */

export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

interface Compiled<R> {
  method: string;
  segments: string[];
  route: R;
}

export class Router<R extends { method: string; pattern: string }> {
  private readonly compiled: Compiled<R>[] = [];

  constructor(routes: readonly R[]) {
    for (const route of routes) {
      this.compiled.push({ method: route.method.toUpperCase(), segments: split(route.pattern), route });
    }
  }

  match(method: string, path: string): RouteMatch<R> | 'not_found' | 'method_not_allowed' {
    const segments = split(path);
    // The most specific path wins (literal segments over parameters: `/payments/list` before
    // `/payments/:id`); a wrong method on that path is a 405, as actix resolves resources.
    let bestScore = -1;
    let candidates: Array<{ c: Compiled<R>; params: Record<string, string> }> = [];
    for (const c of this.compiled) {
      const params = matchSegments(c.segments, segments);
      if (!params) continue;
      const score = c.segments.filter((s) => !s.startsWith(':')).length;
      if (score > bestScore) {
        bestScore = score;
        candidates = [{ c, params }];
      } else if (score === bestScore) {
        candidates.push({ c, params });
      }
    }
    if (candidates.length === 0) return 'not_found';
    const hit = candidates.find((x) => x.c.method === method.toUpperCase());
    return hit ? { route: hit.c.route, params: hit.params } : 'method_not_allowed';
  }
}

function split(path: string): string[] {
  if (path === '/' || path === '') return [];
  return path.replace(/^\//, '').split('/');
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const a = actual[i] as string;
    if (p.startsWith(':')) {
      if (a === '') return undefined;
      let decoded: string;
      try {
        decoded = decodeURIComponent(a);
      } catch {
        return undefined;
      }
      params[p.slice(1)] = decoded;
    } else if (p !== a) {
      return undefined;
    }
  }
  return params;
}
