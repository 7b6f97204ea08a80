// '@harness/kit/kafka': messaging on Kafka, the same topology, outbox relay (with KafkaPublisher) and
// consumer outcomes as on RabbitMQ. Apart from the kit's main entry so that only a service on Kafka
// loads Kafka's client (`messageBusOf` loads it when BROKER=kafka).
export { KafkaPublisher, type KafkaPublisherOptions } from './KafkaPublisher.ts';
export { declareKafkaTopology, bindingMatches, type KafkaTopologyOptions } from './declareKafkaTopology.ts';
export { startKafkaConsumer, type KafkaConsumerOptions } from './startKafkaConsumer.ts';
export { kafkaBus, type KafkaBusOptions } from './kafkaBus.ts';
export { kafkaBacklog, type GroupOnTopic } from './kafkaBacklog.ts';
