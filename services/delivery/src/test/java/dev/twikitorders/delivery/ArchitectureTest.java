package dev.twikitorders.delivery;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The delivery service's layers: the engine ({@code dev.twikitorders.delivery}) knows HTTP and Avro
 * but no Kafka; the consumer loop and wiring ({@code app}) know no command line; nothing knows the
 * pipeline, the Twikit client or the dev stack.
 */
@AnalyzeClasses(
    packages = "dev.twikitorders.delivery",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule knowsNoOtherApplication =
      noClasses()
          .that()
          .resideInAPackage("dev.twikitorders.delivery..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.twikitorders.enricher..",
              "dev.twikitorders.twikit..",
              "dev.twikitorders.sandbox..",
              "dev.twikitorders.devstack..",
              "dev.twikitorders.localstack..",
              "dev.twikitorders.bench..")
          .because("the delivery service is deployed on its own");

  @ArchTest
  static final ArchRule engineKnowsNoKafka =
      noClasses()
          .that()
          .resideInAPackage("dev.twikitorders.delivery")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.kafka..", "dev.twikitorders.delivery.app..")
          .because("the engine delivers records from anywhere; the app feeds it from Kafka");

  @ArchTest
  static final ArchRule appKnowsNoCommandLine =
      noClasses()
          .that()
          .resideInAPackage("dev.twikitorders.delivery.app..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.twikitorders.delivery.cli..", "picocli..")
          .because("the commands wire the app, not the other way round");
}
