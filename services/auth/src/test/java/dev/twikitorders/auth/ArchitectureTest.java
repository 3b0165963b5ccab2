package dev.twikitorders.auth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The auth layer's place: below every HTTP client of the project, knowing none of them; inside, TLS
 * material and the HTTP port stand alone, the store knows no grant, and only the OAuth package
 * speaks to identity providers.
 */
@AnalyzeClasses(
    packages = "dev.twikitorders.auth",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule knowsNoKafkaAndNoClientOfOurs =
      noClasses()
          .that()
          .resideInAPackage("dev.twikitorders.auth..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.kafka..",
              "dev.twikitorders.twikit..",
              "dev.twikitorders.registry..",
              "dev.twikitorders.enricher..",
              "dev.twikitorders.sandbox..",
              "dev.twikitorders.localstack..")
          .because("the auth layer serves every HTTP client and depends on none of them");

  @ArchTest
  static final ArchRule tlsStandsAlone =
      noClasses()
          .that()
          .resideInAPackage("dev.twikitorders.auth.tls..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.twikitorders.auth.oauth..",
              "dev.twikitorders.auth.store..",
              "dev.twikitorders.auth.http..",
              "com.nimbusds..");

  @ArchTest
  static final ArchRule theStoreKnowsNoGrant =
      noClasses()
          .that()
          .resideInAnyPackage("dev.twikitorders.auth.store..", "dev.twikitorders.auth.http..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.twikitorders.auth.oauth..")
          .because("grants use the store and the HTTP port, not the other way round");
}
