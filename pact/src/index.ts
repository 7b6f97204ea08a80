// Public entry of @harness/pact: what the `harness contracts` stage and other tools use.
import './pactEnvironment.ts';

export {
  repoLayout,
  layoutAt,
  contractReportsDir,
  bundledSpecPath,
  eventSchemasFile,
  type ContractsLayout,
} from './layout.ts';
export {
  pactLinks,
  pactLink,
  pactFileName,
  pactFilePath,
  providersOf,
  consumerTestFile,
  selectedLinks,
  LINK_FILTER_ENV,
  type PactLink,
} from './links.ts';
export {
  readPactFile,
  interactionsOfKind,
  pactOfKind,
  providerStatesOf,
  PactFileError,
  type PactDocument,
  type Interaction,
} from './pacts/pactFile.ts';
export { parseInteractionName, interactionName, type InteractionName } from './pacts/interactionName.ts';
export { checkLinkConformance, checkAllLinks } from './checks/linkConformance.ts';
export { checkHttpPactAgainstOpenapi } from './checks/httpPactVsOpenapi.ts';
export { checkMessagePactAgainstAsyncapi, type MessageContract } from './checks/messagePactVsAsyncapi.ts';
export { readMessageCatalog, type CatalogMessage } from './checks/messageCatalog.ts';
export { formatIssue, type CheckIssue, type CheckResult } from './checks/checkResult.ts';
export { resolveBaseRef, type BaseRef } from './breaking/baseRef.ts';
export { runBreakingGate, type BreakingGateOptions } from './breaking/runBreakingGate.ts';
export { compareContracts, gateResult, type BreakingGateResult } from './breaking/breakingGate.ts';
export { breakingReportText } from './breaking/breakingReport.ts';
export { failsGate, type SpecChange, type SpecComparison } from './breaking/specChange.ts';
export {
  buildLinkMatrix,
  MATRIX_COLUMNS,
  COLUMN_TITLES,
  type LinkMatrix,
  type MatrixInputs,
  type MatrixRow,
} from './matrix/linkMatrix.ts';
export { linkMatrixHtml } from './matrix/matrixHtml.ts';
export { linkMatrixText } from './matrix/matrixText.ts';
export {
  readVerificationReport,
  verificationReportFile,
  describeVerification,
  type ProviderVerification,
} from './verify/verificationReport.ts';
export {
  startContractPostgres,
  CONTRACT_POSTGRES_FILE_ENV,
  type ContractPostgres,
} from './testing/contractPostgres.ts';
export { CONSUMERS_DONE_ENV } from './testing/consumersDone.ts';
export { brokerConfigFrom, BrokerConfigError, type BrokerConfig } from './broker/brokerConfig.ts';
export { publishPacts, type PublishedPact } from './broker/publishPacts.ts';
export { pacticipantVersion } from './broker/pacticipantVersion.ts';
export {
  verifyProviderLinks,
  type ProvidedMessage,
  type ProviderVerificationOptions,
} from './verify/verifyProviderLinks.ts';
export type { ProviderStateSetup } from './verify/stateGuard.ts';
