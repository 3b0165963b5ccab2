package dev.twikitorders.twikit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(
    packages = "dev.twikitorders.twikit",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule clientDoesNotDependOnKafka =
      noClasses()
          .that()
          .resideInAPackage("dev.twikitorders.twikit..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.kafka..")
          .because("the Twikit client is a library usable without Kafka");

  @ArchTest
  static final ArchRule publicApiDoesNotLeakHttpClient =
      noClasses()
          .that()
          .resideInAnyPackage("dev.twikitorders.twikit", "dev.twikitorders.twikit.model")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.hc..", "com.nimbusds..")
          .because("HttpClient and Nimbus are implementation details behind the internal package");

  @ArchTest
  static final ArchRule modelIsPlain =
      noClasses()
          .that()
          .resideInAPackage("dev.twikitorders.twikit.model")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.twikitorders.twikit.internal..");
}
