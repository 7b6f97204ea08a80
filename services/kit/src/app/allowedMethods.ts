import type { FastifyInstance } from 'fastify';

interface KnownRoute {
  method: string;
  pattern: RegExp;
}

/** A Fastify route URL (`/orders/:orderId`) as a regular expression for concrete paths. */
function routePattern(url: string): RegExp {
  const parts = url.split('/').map((part) => {
    if (part.startsWith(':')) return '[^/]+';
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${parts.join('/')}/?$`);
}

/**
 * Records every route the app registers, so a request the router does not match can be told
 * apart: a path no route has (404) or a known path asked with another method (405, and the
 * methods it has for the Allow header). Wildcard routes (CORS preflight) name no path and count
 * for nothing. Call before any route is registered.
 */
export function trackRoutes(app: FastifyInstance): (path: string) => string[] {
  const routes: KnownRoute[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url.includes('*')) return;
    for (const method of [route.method].flat())
      routes.push({ method: method.toUpperCase(), pattern: routePattern(route.url) });
  });
  return (path) => [...new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method))].sort();
}
