import { isHttpCallLink, type LinkId, type Topology } from '@harness/runtime';
import { kitConfig } from '../system/kitSystem.ts';
import type { Scenario } from '../scenario/Scenario.ts';

/**
 * The topology links a scenario exercises, for the link matrix of the combined report: the link
 * a proxy fault targets (a GraphQL link's too), the HTTP and GraphQL links into a service whose database a fault hits, the message
 * links of a broker fault (the broker connection's service) or
 * of a message fault (every message link), the links into and out of a service a process fault
 * hits, and the link between each oracle's service and its dependency.
 */
export function scenarioLinks(scenario: Scenario, topology: Topology = kitConfig().topology): LinkId[] {
  const links = new Set<LinkId>();
  const touching = (service: string, kind?: 'http' | 'amqp'): void => {
    for (const link of topology.links) {
      if ((link.from === service || link.to === service) && (kind === undefined || link.kind === kind)) {
        links.add(link.id);
      }
    }
  };
  for (const fault of scenario.faults) {
    if (fault.kind === 'toxic' || fault.kind === 'proxy-down') {
      if ('link' in fault.target) links.add(fault.target.link);
      if ('broker' in fault.target) touching(fault.target.broker, 'amqp');
      // A service without its database answers its callers differently: the HTTP and GraphQL links into it.
      if ('database' in fault.target) {
        const service = fault.target.database;
        for (const link of topology.links) if (isHttpCallLink(link) && link.to === service) links.add(link.id);
      }
    } else if (fault.kind === 'request') {
      links.add(fault.target.link);
    } else if (fault.kind === 'process') {
      touching(fault.service);
    } else {
      for (const link of topology.links) if (link.kind === 'amqp') links.add(link.id);
    }
  }
  for (const oracle of scenario.expectations.oracles ?? []) {
    const link = topology.links.find(
      (candidate) =>
        (candidate.kind === 'http' && candidate.from === oracle.service && candidate.to === oracle.dependency) ||
        (candidate.kind === 'grpc' &&
          candidate.from === oracle.service &&
          `${candidate.to}-grpc` === oracle.dependency),
    );
    if (link) links.add(link.id);
  }
  return [...links].sort();
}
