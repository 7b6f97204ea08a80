/** What the page needs to talk to the gateway; the server publishes it as /config.json. */
export interface StorefrontConfig {
  /** Origin of the gateway (GATEWAY_URL), e.g. http://127.0.0.1:8080. */
  gatewayUrl: string;
  /**
   * Origin of the gateway's GraphQL endpoint (GATEWAY_GRAPHQL_URL: the harness gives it the proxy
   * of link L10, apart from L1's); `/api/graphql` is added. Absent: the same as gatewayUrl.
   */
  graphqlUrl?: string;
  /** The public API key the page sends as `Authorization: Bearer` (API_KEY). */
  apiKey: string;
}

export const configPath = '/config.json';

/** Loads /config.json from the storefront server. Throws with the reason when it cannot. */
export async function fetchStorefrontConfig(fetchConfig: typeof fetch = fetch): Promise<StorefrontConfig> {
  const response = await fetchConfig(configPath, { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${configPath} answered ${response.status}`);
  return parseStorefrontConfig(await response.json());
}

function parseStorefrontConfig(value: unknown): StorefrontConfig {
  const config: Partial<Record<keyof StorefrontConfig, unknown>> =
    typeof value === 'object' && value !== null ? value : {};
  const { gatewayUrl, graphqlUrl, apiKey } = config;
  if (typeof gatewayUrl !== 'string' || !URL.canParse(gatewayUrl)) {
    throw new Error(`${configPath} has no valid gatewayUrl`);
  }
  if (graphqlUrl !== undefined && (typeof graphqlUrl !== 'string' || !URL.canParse(graphqlUrl))) {
    throw new Error(`${configPath} has an invalid graphqlUrl`);
  }
  if (typeof apiKey !== 'string' || apiKey === '') throw new Error(`${configPath} has no apiKey`);
  return { gatewayUrl, ...(graphqlUrl === undefined ? {} : { graphqlUrl }), apiKey };
}
