package dev.twikitorders.delivery.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twikitorders.auth.AuthSettings;
import dev.twikitorders.connections.KafkaConnection;
import dev.twikitorders.delivery.config.DeliveryConfig;
import dev.twikitorders.delivery.config.DeliverySettings;
import dev.twikitorders.ops.MetricsSettings;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.testfixtures.compose.ComposeFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * Keeps the {@code delivery} service of {@code docker-compose.yml} honest without a Docker engine:
 * it is off unless the {@code delivery} profile is asked for, gets only documented settings, its
 * client secret as a compose secret file, an environment {@code deliver} accepts, and addresses
 * that match what the sandbox and the broker really serve. The order enricher's DockerComposeTest
 * checks the file as a whole (loopback ports, pinned images, Dockerfiles that build their module);
 * {@code bin/check-compose} checks it against the Compose schema.
 */
class DockerComposeTest {
  static final String DELIVERY = "delivery";
  static final String SANDBOX = "twikit-sandbox";
  static final String PROFILE = "delivery";

  /** Environment variables that are not settings: read by the JVM or the logging setup. */
  static final Set<String> RUNTIME_VARIABLES =
      Set.of("JAVA_TOOL_OPTIONS", "LOG_LEVEL", "LOG_FORMAT");

  static final Path ROOT = ComposeFile.repoRoot();
  static final ComposeFile COMPOSE = ComposeFile.load(ROOT.resolve("docker-compose.yml"));

  @Test
  void deliveryIsOffUnlessItsProfileIsAskedFor() {
    assertThat(ComposeFile.args(COMPOSE.service(DELIVERY).path("profiles")))
        .as("profiles of %s (docker compose --profile %s up)", DELIVERY, PROFILE)
        .containsExactly(PROFILE);
    for (String service : COMPOSE.serviceNames()) {
      if (!service.equals(DELIVERY)) {
        assertThat(COMPOSE.service(service).path("depends_on").has(DELIVERY))
            .as("%s depends on the optional %s", service, DELIVERY)
            .isFalse();
      }
    }
  }

  @Test
  void deliveryGetsOnlyDocumentedVariables() {
    Set<String> settings =
        DeliveryConfig.CATALOG.settings().stream().map(Setting::env).collect(Collectors.toSet());
    List<String> undocumented = new ArrayList<>();
    for (String name : COMPOSE.environment(DELIVERY).keySet()) {
      boolean kafka =
          name.startsWith(KafkaConnection.ENV_PREFIX) && isKafkaClientConfig(kafkaKeyOf(name));
      if (!settings.contains(name) && !RUNTIME_VARIABLES.contains(name) && !kafka) {
        undocumented.add(name);
      }
    }
    assertThat(undocumented)
        .as(
            "environment of %s: neither a setting of services/delivery/README.md, a KAFKA_* client "
                + "config, nor one of %s",
            DELIVERY, RUNTIME_VARIABLES)
        .isEmpty();
  }

  @Test
  void theClientSecretIsAComposeSecretFileNeverAValue() {
    Map<String, String> env = COMPOSE.environment(DELIVERY);
    for (Setting s : DeliveryConfig.CATALOG.settings()) {
      if (s.secret()) {
        assertThat(env)
            .as("secret setting %s as a plain environment value", s.env())
            .doesNotContainKey(s.env());
      }
    }
    String name = secretNameOf(env.get(DeliverySettings.AUTH.clientSecretFile().env()));
    assertThat(ComposeFile.secretsOf(COMPOSE.service(DELIVERY)))
        .as("secrets of %s", DELIVERY)
        .contains(name);
    assertThat(ROOT.resolve(secretSource(name))).as("file of secret %s", name).isRegularFile();
    assertThat(ComposeFile.args(COMPOSE.service(DELIVERY).path("command")))
        .as("command of %s", DELIVERY)
        .containsExactly("deliver");
  }

  @Test
  void environmentIsAValidDeliveryConfigForTheSandboxSink() {
    Map<String, String> env = new LinkedHashMap<>(COMPOSE.environment(DELIVERY));
    String secretEnv = DeliverySettings.AUTH.clientSecretFile().env();
    // what Compose mounts at /run/secrets/<name>
    env.put(secretEnv, ROOT.resolve(secretSource(secretNameOf(env.get(secretEnv)))).toString());

    DeliveryConfig config =
        DeliveryConfig.from(new ConfigSources(DeliveryConfig.CATALOG).environment(env))
            .requireKafka();
    AuthSettings auth = config.requireEndpoint();
    assertThat(auth)
        .as("auth of %s: the sandbox's client credentials", DELIVERY)
        .isInstanceOf(AuthSettings.ClientCredentials.class);
    AuthSettings.ClientCredentials credentials = (AuthSettings.ClientCredentials) auth;
    assertThat(credentials.clientSecret()).as("client secret read from the file").isNotNull();
    assertThat(config.delivery().topic()).isEqualTo("erp.configuration-summaries");
    assertThat(config.delivery().allowInsecureHttp())
        .as("http:// to another container needs %s", DeliverySettings.ALLOW_INSECURE_HTTP.env())
        .isTrue();

    List<String> sandbox = ComposeFile.args(COMPOSE.service(SANDBOX).path("command"));
    int port = Integer.parseInt(ComposeFile.option(sandbox, "--port").orElse("8089"));
    URI url = config.delivery().url();
    assertThat(url.getHost()).as("host of %s", url).isEqualTo(SANDBOX);
    assertThat(url.getPort()).as("port of %s: the sandbox's --port", url).isEqualTo(port);
    assertThat(url.getPath()).as("the sandbox's sink").isEqualTo("/sink/erp");
    URI token = URI.create(env.get(DeliverySettings.AUTH.tokenUrl().env()));
    assertThat(token.getHost()).isEqualTo(SANDBOX);
    assertThat(token.getPort()).isEqualTo(port);
    assertThat(token.getPath()).isEqualTo("/oauth2/token");
    assertThat(credentials.clientId())
        .as("the sandbox's --client-id")
        .isEqualTo(ComposeFile.option(sandbox, "--client-id").orElseThrow());
    assertThat(ComposeFile.option(sandbox, "--client-secret-file"))
        .as("the sandbox reads the same secret")
        .contains(COMPOSE.environment(DELIVERY).get(secretEnv));

    Set<String> passThrough =
        env.keySet().stream()
            .filter(
                k ->
                    k.startsWith(KafkaConnection.ENV_PREFIX)
                        && !k.equals(KafkaConnection.BOOTSTRAP_SERVERS.env()))
            .map(DockerComposeTest::kafkaKeyOf)
            .collect(Collectors.toSet());
    assertThat(config.kafka().overrides().keySet())
        .as("KAFKA_* pass-through")
        .isEqualTo(passThrough);
    assertThat(config.kafka().bootstrapServers())
        .isEqualTo(COMPOSE.environment("order-enricher").get("KAFKA_BOOTSTRAP_SERVERS"));
    assertThat(config.registry().url())
        .isEqualTo(COMPOSE.environment("order-enricher").get("SCHEMA_REGISTRY_URL"));
  }

  @Test
  void startsAfterItsDependenciesAreHealthyAndRestarts() {
    JsonNode delivery = COMPOSE.service(DELIVERY);
    for (String dependency : List.of("kafka", "schema-registry", SANDBOX)) {
      assertThat(delivery.path("depends_on").path(dependency).path("condition").asText())
          .as("%s depends_on %s", DELIVERY, dependency)
          .isEqualTo("service_healthy");
    }
    assertThat(delivery.path("restart").asText())
        .as("restart policy of %s", DELIVERY)
        .isIn("always", "unless-stopped", "on-failure");
    assertThat(delivery.path("stop_grace_period").asText()).isNotBlank();
  }

  @Test
  void servesMetricsAndHealthOnItsLoopbackPort() {
    String port = COMPOSE.environment(DELIVERY).get(MetricsSettings.PORT.env());
    assertThat(port).as("%s of %s", MetricsSettings.PORT.env(), DELIVERY).matches("[1-9]\\d*");
    List<String> published = ComposeFile.args(COMPOSE.service(DELIVERY).path("ports"));
    assertThat(published)
        .as("published ports of %s", DELIVERY)
        .singleElement()
        .satisfies(p -> assertThat(p).startsWith("127.0.0.1:").endsWith(":" + port));
    assertThat(
            String.join(
                " ", ComposeFile.args(COMPOSE.service(DELIVERY).path("healthcheck").path("test"))))
        .as("healthcheck of %s", DELIVERY)
        .contains("curl")
        .contains(":" + port + "/health/ready");
  }

  /** {@code KAFKA_SECURITY_PROTOCOL} → {@code security.protocol}, as ConfigSources maps it. */
  private static String kafkaKeyOf(String env) {
    return env.substring(KafkaConnection.ENV_PREFIX.length())
        .toLowerCase(Locale.ROOT)
        .replace('_', '.');
  }

  /**
   * A consumer, producer or admin config, optionally prefixed {@code consumer.}/{@code producer.}.
   */
  private static boolean isKafkaClientConfig(String key) {
    Set<String> any = new HashSet<>(ConsumerConfig.configNames());
    any.addAll(ProducerConfig.configNames());
    any.addAll(AdminClientConfig.configNames());
    return any.contains(key)
        || key.startsWith("consumer.")
            && ConsumerConfig.configNames().contains(key.substring("consumer.".length()))
        || key.startsWith("producer.")
            && ProducerConfig.configNames().contains(key.substring("producer.".length()));
  }

  private static String secretSource(String name) {
    JsonNode secret = COMPOSE.root().path("secrets").path(name);
    assertThat(secret.isObject()).as("top-level secrets.%s", name).isTrue();
    return secret.path("file").asText();
  }

  private static String secretNameOf(String file) {
    assertThat(file).as("a compose secret path").startsWith("/run/secrets/");
    return file.substring("/run/secrets/".length());
  }
}
