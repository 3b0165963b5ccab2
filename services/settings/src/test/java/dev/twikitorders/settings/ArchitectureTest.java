package dev.twikitorders.settings;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.twikitorders.auth.oauth.RegisteredClient;

/**
 * The settings module's place: below every deployable, knowing none of them, and no Kafka or Twikit
 * client; of the auth layer it uses secrets, the settings types, TLS material and the client
 * registration file (read like any secret file) only.
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
          .dependOnClassesThat(
              JavaClass.Predicates.resideInAnyPackage(
                      "dev.twikitorders.auth.oauth..",
                      "dev.twikitorders.auth.store..",
                      "dev.twikitorders.auth.http..",
                      "com.nimbusds..")
                  .and(
                      DescribedPredicate.not(
                          JavaClass.Predicates.equivalentTo(RegisteredClient.class))))
          .because(
              "configuration reads values and files (such as the client registration file); it"
                  + " speaks to no server");
}
