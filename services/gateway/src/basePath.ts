/**
 * The gateway's spec declares its business paths relative to the server URL `{origin}/api/v1`,
 * while path items with servers of their own (health, metrics) live at the origin root. The kit
 * registers routes at the paths as written, so this returns a copy of the spec whose business
 * paths carry the base path: `/products` → `/api/v1/products`.
 */
export function mountUnderBasePath<Spec extends object>(spec: Spec): Spec {
  const document = spec as { servers?: { url: string }[]; paths?: Record<string, unknown> };
  const basePath = basePathOf(document.servers?.[0]?.url);
  if (basePath === '' || document.paths === undefined) return spec;
  const paths = Object.fromEntries(
    Object.entries(document.paths).map(([path, item]) => [hasOwnServers(item) ? path : `${basePath}${path}`, item]),
  );
  return { ...spec, paths };
}

/** `{origin}/api/v1` or `http://host:8080/api/v1/` → `/api/v1`. */
export function basePathOf(serverUrl: string | undefined): string {
  if (serverUrl === undefined) return '';
  const path = serverUrl.replace(/^(\{[^}]+\}|[a-z][a-z0-9+.-]*:\/\/[^/]+)/i, '');
  return path.replace(/\/+$/, '');
}

function hasOwnServers(item: unknown): boolean {
  return typeof item === 'object' && item !== null && Array.isArray((item as { servers?: unknown }).servers);
}
