import type { PactLink } from '../links.ts';
import { parseInteractionName } from '../pacts/interactionName.ts';
import { splitMessageMetadata } from '../pacts/messageMetadata.ts';
import { isMessageInteraction, readPactFile, type PactDocument } from '../pacts/pactFile.ts';
import { checkResult, failedCheck, type CheckIssue, type CheckResult } from './checkResult.ts';
import { describeSchemaErrors, loadEventSchemas } from './eventSchemas.ts';
import type { CatalogMessage } from './messageCatalog.ts';

export interface MessageContract {
  catalog: Map<string, CatalogMessage>;
  /** Path of the generated `events/schemas.json`. */
  schemasFile: string;
}

/**
 * Checks a message pact against the AsyncAPI contract (no open-source tool does this):
 * - every interaction is an asynchronous message named `<MessageName>: <scenario>` after a message
 *   of the spec that the link carries, sent by the pact's provider and received by its consumer;
 * - the content (JSON) validates against the message's payload schema;
 * - the metadata's AMQP headers validate against the message's headers schema, and `contentType`
 *   and `routingKey` (when given) equal the spec's;
 * - on Kafka, the `topic` (or `kafka_topic`) equals the Kafka binding's topic and the record `key`
 *   equals the payload member the spec names as the partition key (`x-partition-key`).
 */
export function checkMessagePactAgainstAsyncapi(
  pactFile: string,
  link: PactLink,
  contract: MessageContract,
  options: ConformanceOptions = { strictNames: true },
): CheckResult {
  let pact: PactDocument;
  try {
    pact = readPactFile(pactFile);
  } catch (error) {
    return failedCheck(error instanceof Error ? error.message : String(error));
  }
  if (pact.interactions.length === 0) return failedCheck(`${pactFile} has no interactions`);
  const schemas = loadEventSchemas(contract.schemasFile);
  const carried = link.spec.kind === 'asyncapi' ? link.spec.messages : [];
  const issues: CheckIssue[] = [];

  for (const interaction of pact.interactions) {
    const fail = (message: string): void => {
      issues.push({ interaction: interaction.description, message });
    };
    if (!isMessageInteraction(interaction)) {
      fail(`is a ${interaction.type} interaction in a message pact`);
      continue;
    }
    const name = parseInteractionName(interaction.description);
    const message = name
      ? contract.catalog.get(name.target)
      : options.strictNames
        ? undefined
        : messageByContent(interaction.contents.content, carried, contract, schemas);
    if (!name && !message && !options.strictNames) {
      fail(`matches the payload schema of none of the messages link ${link.id} carries (${carried.join(', ')})`);
      continue;
    }
    if (!message) {
      fail(
        name
          ? `names message ${name.target}, which no AsyncAPI spec defines`
          : 'does not name its message ("<Message>: <scenario>")',
      );
      continue;
    }
    if (!carried.includes(message.name))
      fail(`${message.name} is not carried by link ${link.id} (${carried.join(', ')})`);
    // A spec that names no service (no x-service on its operations) cannot say who sends or receives.
    const namesServices = message.senders.length + message.receivers.length > 0 || options.strictNames;
    if (namesServices && !message.senders.includes(link.provider))
      fail(`the spec does not have ${link.provider} send ${message.name}`);
    if (namesServices && !message.receivers.includes(link.consumer))
      fail(`the spec does not have ${link.consumer} receive ${message.name}`);

    const payloadValidator = message.payloadSchema ? schemas.validator(message.payloadSchema) : undefined;
    if (!payloadValidator) fail(`no payload schema for ${message.name} in ${contract.schemasFile}`);
    else if (!payloadValidator(interaction.contents.content)) {
      fail(`payload does not match ${message.payloadSchema}: ${describeSchemaErrors(payloadValidator.errors)}`);
    }

    const metadata = splitMessageMetadata(interaction.metadata);
    if (message.headersSchema) {
      const headersValidator = schemas.validator(message.headersSchema);
      if (!headersValidator) fail(`no headers schema ${message.headersSchema} in ${contract.schemasFile}`);
      else if (!headersValidator(metadata.headers)) {
        fail(`headers do not match ${message.headersSchema}: ${describeSchemaErrors(headersValidator.errors)}`);
      }
    }
    const contentType = metadata.contentType ?? interaction.contents.contentType;
    if (message.contentType && contentType !== undefined && contentType !== message.contentType) {
      fail(`content type ${String(contentType)}, the spec says ${message.contentType}`);
    }
    if (metadata.routingKey !== undefined && metadata.routingKey !== message.routingKey) {
      fail(`routing key ${String(metadata.routingKey)}, the spec says ${message.routingKey ?? '(none)'}`);
    }
    if (metadata.topic !== undefined && metadata.topic !== message.kafkaTopic) {
      fail(`Kafka topic ${String(metadata.topic)}, the spec says ${message.kafkaTopic ?? '(no Kafka binding)'}`);
    }
    if (metadata.key !== undefined) {
      const content = interaction.contents.content as Record<string, unknown> | null;
      const member = message.partitionKey;
      if (member === undefined) fail(`Kafka key ${String(metadata.key)}, the spec names no x-partition-key`);
      else if (content?.[member] !== metadata.key) {
        fail(`Kafka key ${String(metadata.key)} is not the payload's ${member} (${String(content?.[member])})`);
      }
    }
  }
  return checkResult(pact.interactions.length, issues);
}

/**
 * How strictly interactions must name what they exercise. The reference system's pacts name their
 * operation or message (`<operationId>: <scenario>`); a team's own pacts, written by their own
 * consumer tests, need not: an HTTP interaction is then matched by method and path, a message by
 * the payload schema of the messages its link carries.
 */
export interface ConformanceOptions {
  strictNames: boolean;
}

/** The carried message whose payload schema the content validates against (the only one, when there is one). */
function messageByContent(
  content: unknown,
  carried: readonly string[],
  contract: MessageContract,
  schemas: ReturnType<typeof loadEventSchemas>,
): CatalogMessage | undefined {
  const candidates = carried
    .map((name) => contract.catalog.get(name))
    .filter((message): message is CatalogMessage => message !== undefined);
  if (candidates.length === 1) return candidates[0];
  return candidates.find((message) => {
    const validate = message.payloadSchema ? schemas.validator(message.payloadSchema) : undefined;
    return validate?.(content) === true;
  });
}
