/**
 * Placeholders in a service's `command`, `args`, `env` and `ready`, filled in for every run:
 *
 * | placeholder        | becomes                                                              |
 * | ------------------ | -------------------------------------------------------------------- |
 * | `{port}`, `{host}` | where this service listens                                           |
 * | `{url}`            | this service's own base URL                                          |
 * | `{databaseUrl}`    | its database (through its PostgreSQL proxy)                          |
 * | `{brokerUrl}`      | the broker through its broker proxy: `amqp://user:pw@host:port` on   |
 * |                    | RabbitMQ, `kafka://host:port` (its bootstrap address) on Kafka       |
 * | `{url:NAME}`       | how it reaches NAME: through the proxy of its HTTP link to NAME      |
 * | `{serviceUrl:NAME}`| where NAME itself listens (no proxy)                                 |
 * | `{secret:NAME}`    | a secret made anew for the run                                       |
 * | `{configDir}`      | the config file's folder                                             |
 * | `{runDir}`         | the run's temporary folder                                           |
 *
 * Only `{word}` and `{word:argument}` are placeholders, so JSON in a value (`{"id": …}`) is left
 * alone; an unknown word is a config error.
 */
const PLACEHOLDER = /\{([a-zA-Z]+)(?::([A-Za-z0-9_.-]+))?\}/g;
const PLAIN = new Set(['port', 'host', 'url', 'databaseUrl', 'brokerUrl', 'configDir', 'runDir']);
const WITH_ARGUMENT = new Set(['url', 'serviceUrl', 'secret']);

/** What a service's templates may refer to. */
export interface TemplateScope {
  service: string;
  database: boolean;
  broker: boolean;
  services: readonly string[];
  /** The services it calls over HTTP links. */
  calls: readonly string[];
  secrets: readonly string[];
}

/** The problems of one template (empty when it is fine). */
export function checkTemplate(text: string, scope: TemplateScope): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const [whole, word = '', argument] = match;
    if (argument === undefined) {
      if (!PLAIN.has(word)) problems.push(unknownPlaceholder(whole));
      else if (word === 'databaseUrl' && !scope.database)
        problems.push(`${whole} needs \`database: true\` on service "${scope.service}"`);
      else if (word === 'brokerUrl' && !scope.broker)
        problems.push(`${whole} needs \`broker: true\` on service "${scope.service}"`);
      continue;
    }
    if (!WITH_ARGUMENT.has(word)) problems.push(unknownPlaceholder(whole));
    else if (word === 'url' && !scope.calls.includes(argument))
      problems.push(
        `${whole}: "${scope.service}" has no HTTP link to "${argument}" (it calls: ${scope.calls.join(', ') || 'nothing'})`,
      );
    else if (word === 'serviceUrl' && !scope.services.includes(argument))
      problems.push(`${whole}: unknown service "${argument}" (services: ${scope.services.join(', ')})`);
    else if (word === 'secret' && !scope.secrets.includes(argument))
      problems.push(
        `${whole}: unknown secret "${argument}" (declare it in \`secrets\`; known: ${scope.secrets.join(', ')})`,
      );
  }
  return problems;
}

const unknownPlaceholder = (whole: string): string =>
  `unknown placeholder ${whole} (known: {port}, {host}, {url}, {databaseUrl}, {brokerUrl}, {configDir}, {runDir}, {url:NAME}, {serviceUrl:NAME}, {secret:NAME})`;

/** The values of one service's placeholders in one run. */
export interface TemplateValues {
  plain: Record<string, string | undefined>;
  url: Record<string, string>;
  serviceUrl: Record<string, string>;
  secret: Record<string, string>;
}

/** Fills a template; a placeholder without a value is an error naming it (the config check prevents most). */
export function fillTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (whole, word: string, argument: string | undefined) => {
    const value =
      argument === undefined
        ? values.plain[word]
        : word === 'url'
          ? values.url[argument]
          : word === 'serviceUrl'
            ? values.serviceUrl[argument]
            : word === 'secret'
              ? values.secret[argument]
              : undefined;
    if (value === undefined) throw new Error(`no value for ${whole} in this run`);
    return value;
  });
}
