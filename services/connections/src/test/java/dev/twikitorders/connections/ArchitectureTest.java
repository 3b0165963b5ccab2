package dev.twikitorders.connections;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The connections module's place: below the applications, knowing none of them; it describes how to
 * reach Kafka and the registry and creates no client.
 */
@AnalyzeClasses(
    packages = "dev.twikitorders.connections",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule knowsNoApplication =
      noClasses()
          .that()
          .resideInAPackage("dev.twikitorders.connections..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.twikitorders.enricher..",
              "dev.twikitorders.delivery..",
              "dev.twikitorders.devstack..",
              "dev.twikitorders.bench..",
              "dev.twikitorders.twikit..",
              "dev.twikitorders.sandbox..",
              "dev.twikitorders.localstack..",
              "org.apache.kafka.streams..")
          .because("each application builds its own clients and Streams from these settings");

  @ArchTest
  static final ArchRule createsNoClient =
      noClasses()
          .that()
          .resideInAPackage("dev.twikitorders.connections..")
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.apache.kafka.clients.admin.Admin")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.apache.kafka.clients.consumer.KafkaConsumer")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.apache.kafka.clients.producer.KafkaProducer")
          .because("the callers own their clients' life cycle");
}
