package dev.twikitorders.settings;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The settings module's place: below every deployable, knowing none of them, and no Kafka or Twikit
 * client; of the auth layer it uses secrets and TLS material only.
 */
@AnalyzeClasses(
    packages = "dev.twikitorders.settings",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule knowsNoApplicationAndNoClient =
      noClasses()
          .that()
          .resideInAPackage("dev.twikitorders.settings..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.kafka..",
              "dev.twikitorders.enricher..",
              "dev.twikitorders.devstack..",
              "dev.twikitorders.bench..",
              "dev.twikitorders.twikit..",
              "dev.twikitorders.registry..",
              "dev.twikitorders.sandbox..",
              "dev.twikitorders.localstack..")
          .because("each application passes in its own SettingsCatalog; settings serve them all");

  @ArchTest
  static final ArchRule usesOnlySecretsAndTlsOfTheAuthLayer =
      noClasses()
          .that()
          .resideInAPackage("dev.twikitorders.settings..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.twikitorders.auth.oauth..",
              "dev.twikitorders.auth.store..",
              "dev.twikitorders.auth.http..",
              "com.nimbusds..")
          .because("configuration reads values and files; it speaks to no server");
}
