/**
 * Headers on every storefront response. The CSP lets the page load only its own files and talk
 * only to itself (config.json) and to the gateway (its REST origin and, when it differs, the
 * origin of its GraphQL endpoint).
 */
export function securityHeaders(gatewayUrl: string, graphqlUrl?: string): Readonly<Record<string, string>> {
  const origins = new Set([gatewayUrl, graphqlUrl ?? gatewayUrl].map((url) => new URL(url).origin));
  const gatewayOrigin = [...origins].join(' ');
  const contentSecurityPolicy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${gatewayOrigin}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}
