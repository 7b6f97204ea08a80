// @harness/kit: the one entry point services import.

// Config
export { loadConfig, type ConfigSchema, type ConfigOf } from './config/loadConfig.ts';
export { ConfigError, type ConfigProblem } from './config/ConfigError.ts';
export {
  serviceSettings,
  serviceTokenSetting,
  traceExportSettings,
  portSetting,
  databaseSettings,
  brokerSettings,
  consumerSettings,
  logLevels,
  type DatabaseDefaults,
} from './config/serviceSettings.ts';

// Errors
export { AppError, isAppError, type AppErrorOptions, type FieldError } from './errors/AppError.ts';
export {
  errorCatalogue,
  errorCodes,
  isErrorCode,
  problemTypeOf,
  type ErrorCode,
  type ErrorDefinition,
} from './errors/errorCatalogue.ts';
export { toProblem, isProblem, PROBLEM_CONTENT_TYPE, type Problem } from './errors/problem.ts';

// HTTP server
export { createServiceApp, type ServiceAppOptions } from './app/createServiceApp.ts';
export { serverBasePath } from './app/openApiDocument.ts';
export { loadSpec } from './app/loadSpec.ts';
export {
  respond,
  type AnyHandler,
  type Handler,
  type HandlerRequest,
  type HandlerResponse,
  type OperationHandler,
  type OperationRequest,
  type OperationResponse,
} from './app/handlerTypes.ts';
export { serviceTokenHandler, SERVICE_TOKEN_HEADER, type SecurityHandler } from './app/securityHandlers.ts';
export { outageOf, outageError, type OutageDependency } from './app/dependencyOutages.ts';

// HTTP client
export {
  createServiceClient,
  resilientFetch,
  isRetryableRequest,
  type ServiceClientOptions,
  type FetchFunction,
} from './http/createServiceClient.ts';
export { OutgoingRequest } from './http/outgoingRequest.ts';
export {
  keepAliveTransport,
  fetchTransport,
  type HttpTransport,
  type KeepAliveTransportOptions,
} from './http/httpTransport.ts';
export {
  callDependency,
  dependencyUnavailable,
  type DependencyError,
  type DependencyResult,
} from './http/callDependency.ts';
export { parseRetryAfterMs } from './http/retryAfter.ts';

// Resilience
export {
  createResiliencePolicy,
  type ResiliencePolicy,
  type ResiliencePolicyDeps,
  type AttemptContext,
  type ExecuteOptions,
} from './resilience/createResiliencePolicy.ts';
export {
  defaultResilienceSettings,
  resolveResilienceSettings,
  type ResilienceSettings,
  type ResilienceSettingsInput,
} from './resilience/resilienceSettings.ts';
export {
  ResilienceEventLog,
  type ResilienceEvent,
  type ResilienceEventBody,
  type BreakerStateName,
  type CallOutcome,
} from './resilience/ResilienceEventLog.ts';
export { backoffCeilingMs, jitteredBackoffMs } from './resilience/backoff.ts';
export {
  DependencyNetworkError,
  DependencyStatusError,
  DependencyUnavailableError,
  isDependencyUnavailableError,
  isTransientStatus,
  isTransientFailure,
  isBreakerFailure,
  isBreakerFailureExcept503,
  isBreakerFailureExceptDependencyUnavailable,
  isNetworkFailure,
  type UnavailableReason,
} from './resilience/dependencyFailures.ts';

// Observability
export { createLogger, type Logger, type LoggerOptions } from './observability/logger.ts';
export { createMetrics, type KitMetrics, type MetricsOptions } from './observability/metrics.ts';
export {
  installTracing,
  currentTraceparent,
  injectTraceHeaders,
  extractTraceContext,
  withExtractedContext,
  inSpan,
  SpanKind,
  shutdownTracing,
  tracesRecorded,
  type TracingOptions,
  type HeaderCarrier,
} from './observability/tracing.ts';

export { exportTraces, type TraceExportConfig } from './observability/exportTraces.ts';

// PostgreSQL
export {
  createPool,
  DEFAULT_QUERY_TIMEOUT_MS,
  type Pool,
  type PoolOptions,
  type Queryable,
  type Transaction,
} from './db/pool.ts';
export { migrate, type Migration } from './db/migrate.ts';
export { loadSqlMigrations, type SqlMigrationsOptions } from './db/loadSqlMigrations.ts';
export { createServicePool, type DatabaseConfig } from './db/servicePool.ts';
export { withTransaction, withClient } from './db/withTransaction.ts';
export {
  isConnectionFailure,
  isDatabaseUnavailable,
  QUERY_TIMEOUT_MESSAGE,
  POOL_ACQUIRE_TIMEOUT_MESSAGE,
} from './db/connectionFailures.ts';

// Startup
export { retryUntilReady, type RetryUntilReadyOptions } from './startup/retryUntilReady.ts';
export {
  runUntilSignal,
  type RunnableService,
  type ProcessHooks,
  type RunUntilSignalOptions,
} from './startup/runUntilSignal.ts';
export { orderedShutdown, type ShutdownStep } from './startup/orderedShutdown.ts';

// Idempotency
export { requestFingerprint, canonicalJson } from './idempotency/requestFingerprint.ts';

// Messaging
export {
  BrokerConnection,
  BrokerUnavailableError,
  UnroutableMessageError,
  type BrokerConnectionOptions,
  type ConnectionSetup,
  type MessagePublisher,
  type PublishRequest,
} from './messaging/BrokerConnection.ts';
export {
  declareTopology,
  topologySetup,
  retryQueueOf,
  deadLetterQueueOf,
  type MessagingTopology,
  type QueueTopology,
} from './messaging/declareTopology.ts';
export { outboxMigration, processedEventsMigration } from './messaging/messagingMigrations.ts';
export { enqueueOutbox, type OutboxEvent } from './messaging/enqueueOutbox.ts';
export {
  changeWithOutbox,
  type ChangeStatement,
  type ChangeWithOutboxOptions,
  type ChangeWithOutboxResult,
  type StatementRunner,
} from './messaging/changeWithOutbox.ts';
export {
  startOutboxRelay,
  publishBypassingOutbox,
  type OutboxRelay,
  type OutboxRelayOptions,
} from './messaging/outboxRelay.ts';
export {
  startConsumer,
  type Consumer,
  type ConsumerOptions,
  type ConsumedMessage,
  type MessageValidation,
  type EffectStatement,
} from './messaging/startConsumer.ts';
export { messageValidator } from './messaging/messageValidator.ts';
// Messaging on Kafka (KafkaPublisher, declareKafkaTopology, startKafkaConsumer, kafkaBus,
// kafkaBacklog) is in '@harness/kit/kafka', so a service on RabbitMQ does not load Kafka's client.
export type { KafkaPublisherOptions } from './messaging/kafka/KafkaPublisher.ts';
export type { KafkaTopologyOptions } from './messaging/kafka/declareKafkaTopology.ts';
export type { KafkaConsumerOptions } from './messaging/kafka/startKafkaConsumer.ts';
// One bus shape over either broker, so a service picks RabbitMQ or Kafka with one setting.
export {
  rabbitMqBus,
  rabbitMqBusOn,
  asMessageBus,
  type MessageBus,
  type BusConsumerOptions,
} from './messaging/MessageBus.ts';
export type { KafkaBusOptions } from './messaging/kafka/kafkaBus.ts';
export type { GroupOnTopic } from './messaging/kafka/kafkaBacklog.ts';
export { rabbitMqBacklog } from './messaging/rabbitMqBacklog.ts';
export { messageBusOf, checkBrokerConfig, type BusConfig } from './messaging/messageBusOf.ts';

// Health
export {
  databaseCheck,
  brokerCheck,
  runHealthChecks,
  type HealthCheck,
  type HealthReport,
  type CheckStatus,
} from './health/healthChecks.ts';

// Mutants (`harness mutate`): switches honoured only in a process the harness started
export {
  announceMutants,
  mutantActive,
  mutantNames,
  parseMutants,
  MUTANTS_VARIABLE,
  STARTED_BY_VARIABLE,
  STARTED_BY_HARNESS,
  type MutantName,
  type MutantSwitches,
} from './mutants.ts';
export {
  createGrpcCaller,
  type GrpcCallError,
  type GrpcCaller,
  type GrpcCallOptions,
  type GrpcResult,
  type UnaryMethod,
} from './grpc/callGrpc.ts';
export { errorInfoOf, grpcErrorStatus, STATUS_DETAILS_KEY } from './grpc/errorDetails.ts';
export { GrpcStatusError, isGrpcBreakerFailure, isRetryableGrpcFailure } from './grpc/grpcFailures.ts';
export {
  createGrpcServer,
  unaryHandler,
  withRawRequests,
  type GrpcServer,
  type GrpcServerOptions,
  type UnaryHandlerOptions,
} from './grpc/grpcServer.ts';
export { errorCodeOfGrpcStatus, grpcStatusOf } from './grpc/grpcStatusOf.ts';
export { extractGrpcTraceContext, injectGrpcTraceContext } from './grpc/grpcTracing.ts';
