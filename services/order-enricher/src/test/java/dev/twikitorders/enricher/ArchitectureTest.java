package dev.twikitorders.enricher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The production artifact's architecture, held by the build: the record code and the topology know
 * nothing of HTTP or of the Twikit client's internals, no production class uses the dev stack
 * (embedded broker, sandbox), and the packages depend on each other in one direction only.
 */
@AnalyzeClasses(
    packages = "dev.twikitorders.enricher",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String[] HTTP =
      new String[] {
        "org.apache.hc..",
        "java.net.http..",
        "com.sun.net.httpserver..",
        "com.nimbusds..",
        "io.vertx.."
      };

  @ArchTest
  static final ArchRule topologyAndRecordsUseNoHttp =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.twikitorders.enricher.topology..", "dev.twikitorders.enricher.records..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(HTTP)
          .because(
              "the topology and the record code are pure Kafka and Avro: HTTP is the client's job");

  @ArchTest
  static final ArchRule topologyAndRecordsUseNoClientInternals =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.twikitorders.enricher.topology..", "dev.twikitorders.enricher.records..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.twikitorders.twikit.internal..")
          .because("the Twikit client's internals may change without notice");

  @ArchTest
  static final ArchRule productionCodeKnowsNoDevStack =
      noClasses()
          .that()
          .resideInAPackage("dev.twikitorders.enricher..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.twikitorders.localstack..",
              "dev.twikitorders.sandbox..",
              "dev.twikitorders.devstack..",
              "org.apache.kafka.common.test..")
          .because(
              "order-enricher.jar is the production artifact: the embedded stack lives in dev-stack");

  @ArchTest
  static final ArchRule packagesDependOneWay =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("cli")
          .definedBy("dev.twikitorders.enricher.cli..")
          .layer("app")
          .definedBy("dev.twikitorders.enricher.app..")
          .layer("replay")
          .definedBy("dev.twikitorders.enricher.replay..")
          .layer("topology")
          .definedBy("dev.twikitorders.enricher.topology..")
          .layer("records")
          .definedBy("dev.twikitorders.enricher.records..")
          .layer("enrichment")
          .definedBy("dev.twikitorders.enricher.enrichment..")
          .layer("flow")
          .definedBy("dev.twikitorders.enricher.flow..")
          .layer("stats")
          .definedBy("dev.twikitorders.enricher.stats..")
          .layer("config")
          .definedBy("dev.twikitorders.enricher.config..")
          .whereLayer("cli")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("app")
          .mayOnlyBeAccessedByLayers("cli")
          .whereLayer("replay")
          .mayOnlyBeAccessedByLayers("cli")
          .whereLayer("topology")
          .mayOnlyBeAccessedByLayers("app")
          .whereLayer("records")
          .mayOnlyBeAccessedByLayers("topology", "replay", "app")
          .whereLayer("enrichment")
          .mayOnlyBeAccessedByLayers("records", "topology", "replay", "app")
          .whereLayer("flow")
          .mayOnlyBeAccessedByLayers("topology", "enrichment", "app")
          .whereLayer("stats")
          .mayOnlyBeAccessedByLayers("topology", "enrichment", "replay", "app", "cli")
          .whereLayer("config")
          .mayOnlyBeAccessedByLayers("app", "cli", "replay");
}
