package dev.twikitorders.enricher.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twikitorders.connections.RegistrySettings;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.KafkaSettings;
import dev.twikitorders.enricher.config.Settings;
import dev.twikitorders.enricher.config.TopicSettings;
import dev.twikitorders.enricher.config.TwikitSettings;
import dev.twikitorders.ops.MetricsSettings;
import dev.twikitorders.settings.ConfigSources;
import dev.twikitorders.settings.Setting;
import dev.twikitorders.testfixtures.compose.ComposeFile;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code docker-compose.yml} (and the override example {@code compose/external.example.yml})
 * honest without a Docker engine: the pipeline gets only documented settings, the required ones,
 * its secret as a file, and addresses that match what the other services really listen on; the
 * broker can run exactly_once_v2 on one node; builds point at Dockerfiles that exist and build the
 * right module. {@code bin/check-compose} checks the file against the Compose schema.
 */
class DockerComposeTest {
  static final String KAFKA = "kafka";
  static final String REGISTRY = "schema-registry";
  static final String SANDBOX = "twikit-sandbox";
  static final String PIPELINE = "order-enricher";

  /**
   * Environment variables of the pipeline container that are not settings, read by the JVM or the
   * logging setup (documented in docs/docker.md).
   */
  static final Set<String> RUNTIME_VARIABLES =
      Set.of("JAVA_TOOL_OPTIONS", "LOG_LEVEL", "LOG_FORMAT");

  /** The only host address a port may be published on. */
  static final String LOOPBACK = "127.0.0.1";

  static final Path ROOT = ComposeFile.repoRoot();
  static final ComposeFile COMPOSE = ComposeFile.load(ROOT.resolve("docker-compose.yml"));
  static final ComposeFile EXTERNAL_EXAMPLE =
      ComposeFile.load(ROOT.resolve("compose/external.example.yml"));

  static final List<Setting> REQUIRED =
      List.of(
          KafkaSettings.BOOTSTRAP_SERVERS,
          RegistrySettings.URL,
          TwikitSettings.API_URL,
          TwikitSettings.TOKEN_URL,
          TwikitSettings.CLIENT_ID,
          TwikitSettings.CLIENT_SECRET_FILE);

  static final List<Setting> TOPICS =
      List.of(
          TopicSettings.ORDER_EVENTS,
          TopicSettings.ERP,
          TopicSettings.FULFILLMENT,
          TopicSettings.DEAD_LETTERS);

  @Test
  void pipelineGetsOnlyDocumentedVariables() {
    assertOnlyDocumentedVariables(COMPOSE.environment(PIPELINE), "docker-compose.yml");
  }

  @Test
  void externalExampleGetsOnlyDocumentedVariablesAndStillTheRequiredOnes(@TempDir Path dir)
      throws IOException {
    Map<String, String> merged = new LinkedHashMap<>(COMPOSE.environment(PIPELINE));
    merged.putAll(EXTERNAL_EXAMPLE.environment(PIPELINE));
    assertOnlyDocumentedVariables(merged, "docker-compose.yml + compose/external.example.yml");
    assertRequiredPresentAndNoPlainSecrets(merged);
    Path secret = Files.writeString(dir.resolve("secret"), "example-secret\n");
    Map<String, String> mounted = new LinkedHashMap<>(merged);
    mounted.put(TwikitSettings.CLIENT_SECRET_FILE.env(), secret.toString());
    assertValidConfiguration(mounted);
    for (String s : ComposeFile.secretsOf(EXTERNAL_EXAMPLE.service(PIPELINE))) {
      assertThat(
              EXTERNAL_EXAMPLE.root().path("secrets").has(s)
                  || COMPOSE.root().path("secrets").has(s))
          .as("secret '%s' of the external example is defined", s)
          .isTrue();
    }
  }

  @Test
  void requiredSettingsArePresentAndTheClientSecretIsAComposeSecret() throws IOException {
    Map<String, String> env = COMPOSE.environment(PIPELINE);
    assertRequiredPresentAndNoPlainSecrets(env);

    String secretName = secretNameOf(env.get(TwikitSettings.CLIENT_SECRET_FILE.env()));
    assertThat(ComposeFile.secretsOf(COMPOSE.service(PIPELINE)))
        .as("secrets of %s", PIPELINE)
        .contains(secretName);
    JsonNode secret = COMPOSE.root().path("secrets").path(secretName);
    assertThat(secret.isObject()).as("top-level secrets.%s", secretName).isTrue();
    Path file = ROOT.resolve(secret.path("file").asText()).normalize();
    assertThat(file)
        .as("file of secret %s (with the default of its variable)", secretName)
        .isRegularFile();

    // the secret's value is in no environment of any service
    String value = Files.readString(file, StandardCharsets.UTF_8).strip();
    for (String service : COMPOSE.serviceNames()) {
      assertThat(COMPOSE.environment(service).values())
          .as("environment of %s", service)
          .noneMatch(v -> v.contains(value));
      assertThat(ComposeFile.args(COMPOSE.service(service).path("command")))
          .as("command of %s", service)
          .noneMatch(a -> a.contains(value));
    }
  }

  @Test
  void pipelineEnvironmentIsAValidConfiguration() {
    Map<String, String> env = new LinkedHashMap<>(COMPOSE.environment(PIPELINE));
    String secretFile = env.get(TwikitSettings.CLIENT_SECRET_FILE.env());
    // what Compose mounts at /run/secrets/<name>
    Path source =
        ROOT.resolve(
            COMPOSE.root().path("secrets").path(secretNameOf(secretFile)).path("file").asText());
    env.put(TwikitSettings.CLIENT_SECRET_FILE.env(), source.toString());

    assertValidConfiguration(env);
  }

  /**
   * Loads {@code env} the way {@code run} does and checks what the compose test assumes about it.
   */
  private static void assertValidConfiguration(Map<String, String> env) {
    EnricherConfig config =
        EnricherConfig.from(new ConfigSources(Settings.CATALOG).environment(env)).requireExternal();
    assertThat(config.kafka().bootstrapServers()).as("run would refuse to start").isNotNull();
    assertThat(config.twikit().clientSecret())
        .as("client secret read from the secret file")
        .isNotNull();
    Set<String> passThrough =
        env.keySet().stream()
            .filter(
                k ->
                    k.startsWith(Settings.KAFKA_ENV_PREFIX)
                        && !k.equals(KafkaSettings.BOOTSTRAP_SERVERS.env()))
            .map(DockerComposeTest::kafkaKeyOf)
            .collect(Collectors.toSet());
    assertThat(config.kafka().overrides().keySet())
        .as("KAFKA_* pass-through")
        .isEqualTo(passThrough);
  }

  @Test
  void pipelineRunsAgainstTheComposeServicesNeverTheEmbeddedStack() {
    JsonNode pipeline = COMPOSE.service(PIPELINE);
    List<String> command = ComposeFile.args(pipeline.path("command"));
    assertThat(command).as("command of %s", PIPELINE).isNotEmpty();
    assertThat(command.get(0)).as("the pipeline's subcommand").isEqualTo("run");
    // `run` starts the embedded stack only when no bootstrap servers are set
    assertThat(COMPOSE.environment(PIPELINE).get(KafkaSettings.BOOTSTRAP_SERVERS.env()))
        .isNotBlank();

    JsonNode dependsOn = pipeline.path("depends_on");
    for (String dependency : List.of(KAFKA, REGISTRY, SANDBOX)) {
      assertThat(dependsOn.path(dependency).path("condition").asText())
          .as("%s depends_on %s", PIPELINE, dependency)
          .isEqualTo("service_healthy");
      assertThat(ComposeFile.args(COMPOSE.service(dependency).path("healthcheck").path("test")))
          .as("healthcheck of %s", dependency)
          .isNotEmpty();
    }
    assertThat(pipeline.path("restart").asText())
        .as("restart policy of %s", PIPELINE)
        .isIn("always", "unless-stopped", "on-failure");
  }

  @Test
  void bootstrapServersAreAnAdvertisedListenerOfTheBroker() {
    Map<String, String> kafka = COMPOSE.environment(KAFKA);
    Map<String, String> advertised = listeners(kafka.get("KAFKA_ADVERTISED_LISTENERS"));
    Map<String, String> bound = listeners(kafka.get("KAFKA_LISTENERS"));
    String hostname = COMPOSE.service(KAFKA).path("hostname").asText(KAFKA);
    String bootstrap = COMPOSE.environment(PIPELINE).get(KafkaSettings.BOOTSTRAP_SERVERS.env());
    for (String server : bootstrap.split(",")) {
      String hostPort = server.trim();
      assertThat(hostPort).as("bootstrap server").matches("[^:]+:\\d+");
      String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
      assertThat(host).as("bootstrap host").isIn(KAFKA, hostname);
      String listener =
          advertised.entrySet().stream()
              .filter(e -> e.getValue().equals(hostPort))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElse(null);
      assertThat(listener)
          .as("KAFKA_ADVERTISED_LISTENERS %s advertise %s", advertised, hostPort)
          .isNotNull();
      assertThat(bound.get(listener))
          .as("KAFKA_LISTENERS binds listener %s", listener)
          .isNotNull()
          .endsWith(hostPort.substring(hostPort.lastIndexOf(':')));
    }
  }

  @Test
  void registryUrlIsTheConfluentApiOfTheRegistryService() {
    URI url = URI.create(COMPOSE.environment(PIPELINE).get(RegistrySettings.URL.env()));
    assertThat(url.getScheme()).isEqualTo("http");
    assertThat(url.getHost()).isEqualTo(REGISTRY);
    assertThat(url.getPath())
        .as("Apicurio's Confluent-compatible API")
        .isEqualTo("/apis/ccompat/v7");
    assertThat(url.getPort()).as("a container port of %s", REGISTRY).isIn(containerPorts(REGISTRY));
    assertThat(
            String.join(
                " ", ComposeFile.args(COMPOSE.service(REGISTRY).path("healthcheck").path("test"))))
        .as("healthcheck of %s probes that port", REGISTRY)
        .contains(String.valueOf(url.getPort()));
  }

  @Test
  void twikitUrlsAndCredentialsMatchTheSandbox() {
    Map<String, String> env = COMPOSE.environment(PIPELINE);
    JsonNode sandbox = COMPOSE.service(SANDBOX);
    List<String> args = ComposeFile.args(sandbox.path("command"));
    assertThat(ComposeFile.option(args, "--host"))
        .as("sandbox --host (its default 127.0.0.1 is unreachable)")
        .contains("0.0.0.0");
    int port = Integer.parseInt(ComposeFile.option(args, "--port").orElse("8089"));

    URI api = URI.create(env.get(TwikitSettings.API_URL.env()));
    URI token = URI.create(env.get(TwikitSettings.TOKEN_URL.env()));
    for (URI uri : List.of(api, token)) {
      assertThat(uri.getScheme()).isEqualTo("http");
      assertThat(uri.getHost()).as("host of %s", uri).isEqualTo(SANDBOX);
      assertThat(uri.getPort()).as("port of %s: the sandbox's --port", uri).isEqualTo(port);
    }
    assertThat(api.getPath()).as("API base path").isIn("", "/");
    assertThat(token.getPath()).isEqualTo("/oauth2/token");
    assertThat(String.join(" ", ComposeFile.args(sandbox.path("healthcheck").path("test"))))
        .as("healthcheck of %s", SANDBOX)
        .contains(":" + port + "/status");

    assertThat(ComposeFile.option(args, "--client-id"))
        .as("sandbox --client-id")
        .contains(env.get(TwikitSettings.CLIENT_ID.env()));
    assertThat(ComposeFile.option(args, "--client-secret"))
        .as("a secret on the command line")
        .isEmpty();
    String secretFile = env.get(TwikitSettings.CLIENT_SECRET_FILE.env());
    assertThat(ComposeFile.option(args, "--client-secret-file"))
        .as("sandbox --client-secret-file")
        .contains(secretFile);
    assertThat(ComposeFile.secretsOf(sandbox)).contains(secretNameOf(secretFile));
    assertThat(ComposeFile.environmentOf(sandbox))
        .doesNotContainKey("TWIKIT_SANDBOX_CLIENT_SECRET");
  }

  /**
   * Nothing in the stack authenticates (the sandbox's admin API under /_sandbox/ reconfigures it),
   * so every published port is bound to the loopback interface of the Docker host.
   */
  @Test
  void everyPublishedPortIsBoundToLoopbackOnly() {
    List<String> published = new ArrayList<>();
    for (ComposeFile file : List.of(COMPOSE, EXTERNAL_EXAMPLE)) {
      for (String service : file.serviceNames()) {
        JsonNode s = file.service(service);
        String where = file.path().getFileName() + " service " + service;
        assertThat(s.path("network_mode").asText(""))
            .as("%s: network_mode host would bypass the port bindings", where)
            .isNotEqualTo("host");
        for (JsonNode port : s.path("ports")) {
          String hostIp =
              port.isObject() ? port.path("host_ip").asText("") : hostIpOf(port.asText());
          assertThat(hostIp)
              .as(
                  "%s publishes %s on all interfaces; bind it as \"127.0.0.1:HOST:CONTAINER\"",
                  where, port)
              .isEqualTo(LOOPBACK);
          published.add(service);
        }
      }
    }
    assertThat(published)
        .as("services that publish a port")
        .contains(KAFKA, REGISTRY, SANDBOX, PIPELINE);
  }

  @Test
  void theLoopbackCheckReadsEveryShortPortSyntax() {
    assertThat(hostIpOf("127.0.0.1:8089:8089")).isEqualTo(LOOPBACK);
    assertThat(hostIpOf("127.0.0.1:9464-9466:9464/tcp")).isEqualTo(LOOPBACK);
    assertThat(hostIpOf("127.0.0.1::9464")).isEqualTo(LOOPBACK);
    assertThat(hostIpOf("[::1]:8081:8080")).isEqualTo("::1");
    assertThat(hostIpOf("0.0.0.0:9092:9092")).isEqualTo("0.0.0.0");
    assertThat(hostIpOf("9092:9092")).as("all interfaces").isEmpty();
    assertThat(hostIpOf("9464")).as("all interfaces, random host port").isEmpty();
  }

  @Test
  void pipelineServesMetricsAndHealthOnItsPublishedPort() {
    String port = COMPOSE.environment(PIPELINE).get(MetricsSettings.PORT.env());
    assertThat(port).as("%s of %s", MetricsSettings.PORT.env(), PIPELINE).matches("[1-9]\\d*");
    assertThat(containerPorts(PIPELINE))
        .as("container ports %s publishes", PIPELINE)
        .contains(Integer.parseInt(port));
    assertThat(
            String.join(
                " ", ComposeFile.args(COMPOSE.service(PIPELINE).path("healthcheck").path("test"))))
        .as("healthcheck of %s", PIPELINE)
        .contains(":" + port + "/health/ready");
  }

  @Test
  void topicNamesAreLegalDistinctAndTheSameInEveryService() {
    Map<String, String> pipeline = COMPOSE.environment(PIPELINE);
    Set<String> names = new HashSet<>();
    for (Setting topic : TOPICS) {
      String name = pipeline.getOrDefault(topic.env(), topic.defaultValue());
      assertThat(name).as(topic.env()).matches("[a-zA-Z0-9._-]{1,249}");
      assertThat(names.add(name)).as("topic %s used twice", name).isTrue();
      for (String service : COMPOSE.serviceNames()) {
        String other = COMPOSE.environment(service).get(topic.env());
        if (other != null) {
          assertThat(other).as("%s of service %s", topic.env(), service).isEqualTo(name);
        }
      }
    }
    boolean autoCreate =
        !"false".equals(COMPOSE.environment(KAFKA).get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"));
    boolean pipelineCreates =
        Boolean.parseBoolean(
            pipeline.getOrDefault(TopicSettings.CREATE.env(), TopicSettings.CREATE.defaultValue()));
    assertThat(autoCreate || pipelineCreates).as("someone creates the topics").isTrue();
  }

  @Test
  void theSingleBrokerCanRunExactlyOnce() {
    Map<String, String> kafka = COMPOSE.environment(KAFKA);
    assertThat(kafka.get("KAFKA_PROCESS_ROLES"))
        .as("KRaft combined mode")
        .contains("broker", "controller");
    assertThat(kafka)
        .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
        .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
        .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
    assertThat(kafka.getOrDefault("KAFKA_MIN_INSYNC_REPLICAS", "1")).isEqualTo("1");
    assertThat(COMPOSE.environment(PIPELINE).getOrDefault(TopicSettings.REPLICATION.env(), "-1"))
        .as("replication of the pipeline's topics on one broker")
        .isIn("-1", "1");
  }

  @Test
  void imagesArePinnedAndBuildsUseDockerfilesThatBuildTheirModule() throws IOException {
    for (String service : COMPOSE.serviceNames()) {
      JsonNode s = COMPOSE.service(service);
      JsonNode build = s.path("build");
      if (build.isMissingNode()) {
        String image = s.path("image").asText();
        assertThat(image)
            .as("image of %s: pinned to a tag", service)
            .matches("[^:@]+[:@].+")
            .doesNotEndWith(":latest");
        continue;
      }
      Path context =
          ROOT.resolve(build.isTextual() ? build.asText() : build.path("context").asText("."))
              .normalize();
      assertThat(context).as("build context of %s", service).isDirectory();
      Path dockerfile = context.resolve(build.path("dockerfile").asText("Dockerfile")).normalize();
      assertThat(dockerfile).as("Dockerfile of %s", service).isRegularFile();
      assertDockerfileBuildsItsModule(dockerfile);
    }
    assertThat(Files.readAllLines(ROOT.resolve(".dockerignore")))
        .as(".dockerignore keeps build output out")
        .contains("**/target/");
  }

  /**
   * Both Dockerfiles build their own module with the wrapper and run its shaded jar as a non-root
   * user.
   */
  private static void assertDockerfileBuildsItsModule(Path dockerfile) throws IOException {
    Path moduleDir = dockerfile.getParent();
    String module = moduleDir.getFileName().toString();
    String text = Files.readString(dockerfile);
    String pom = Files.readString(moduleDir.resolve("pom.xml"));
    assertThat(pom)
        .as("shaded jar name of %s", module)
        .contains("<app.jar.name>" + module + "</app.jar.name>");
    assertThat(text)
        .as(dockerfile.toString())
        .contains("FROM eclipse-temurin:21-jdk AS build")
        .contains("./mvnw -B")
        .contains("-pl services/" + module + " -am")
        .contains("services/" + module + "/target/" + module + ".jar");
    String runStage = text.substring(text.lastIndexOf("\nFROM "));
    assertThat(runStage)
        .as("run stage of %s", dockerfile)
        .startsWith("\nFROM eclipse-temurin:21-jre");
    List<String> users = runStage.lines().filter(l -> l.startsWith("USER ")).toList();
    assertThat(users).as("USER of the run stage of %s", dockerfile).isNotEmpty();
    assertThat(users.get(users.size() - 1).substring(5).trim())
        .as("USER of %s", dockerfile)
        .doesNotStartWith("root")
        .doesNotStartWith("0");
  }

  private static void assertOnlyDocumentedVariables(Map<String, String> env, String where) {
    Set<String> settings = Settings.ALL.stream().map(Setting::env).collect(Collectors.toSet());
    List<String> undocumented = new ArrayList<>();
    for (String name : env.keySet()) {
      if (settings.contains(name) || RUNTIME_VARIABLES.contains(name)) {
        continue;
      }
      if (name.startsWith(Settings.KAFKA_ENV_PREFIX) && isKafkaConfig(kafkaKeyOf(name))) {
        continue;
      }
      undocumented.add(name);
    }
    assertThat(undocumented)
        .as(
            "%s: environment of %s has variables that are neither a setting (README), a KAFKA_* Kafka client or "
                + "Streams config, nor one of %s",
            where, PIPELINE, RUNTIME_VARIABLES)
        .isEmpty();
  }

  private static void assertRequiredPresentAndNoPlainSecrets(Map<String, String> env) {
    for (Setting s : REQUIRED) {
      assertThat(env.get(s.env())).as("required %s", s.env()).isNotBlank();
    }
    for (Setting s : Settings.ALL) {
      if (s.secret()) {
        assertThat(env)
            .as("secret setting %s as a plain environment value", s.env())
            .doesNotContainKey(s.env());
      }
    }
  }

  /** {@code KAFKA_SECURITY_PROTOCOL} → {@code security.protocol}, as ConfigSources maps it. */
  private static String kafkaKeyOf(String env) {
    return env.substring(Settings.KAFKA_ENV_PREFIX.length())
        .toLowerCase(Locale.ROOT)
        .replace('_', '.');
  }

  private static boolean isKafkaConfig(String key) {
    Set<String> streams = StreamsConfig.configDef().names();
    Map<String, Set<String>> prefixed =
        Map.of(
            StreamsConfig.PRODUCER_PREFIX,
            ProducerConfig.configNames(),
            StreamsConfig.CONSUMER_PREFIX,
            ConsumerConfig.configNames(),
            StreamsConfig.MAIN_CONSUMER_PREFIX,
            ConsumerConfig.configNames(),
            StreamsConfig.RESTORE_CONSUMER_PREFIX,
            ConsumerConfig.configNames(),
            StreamsConfig.GLOBAL_CONSUMER_PREFIX,
            ConsumerConfig.configNames(),
            StreamsConfig.ADMIN_CLIENT_PREFIX,
            AdminClientConfig.configNames());
    if (streams.contains(key)
        || ProducerConfig.configNames().contains(key)
        || ConsumerConfig.configNames().contains(key)
        || AdminClientConfig.configNames().contains(key)) {
      return true;
    }
    return prefixed.entrySet().stream()
        .anyMatch(
            e ->
                key.startsWith(e.getKey())
                    && e.getValue().contains(key.substring(e.getKey().length())));
  }

  /** Listener name → {@code host:port} from {@code NAME://host:port,...}. */
  private static Map<String, String> listeners(String spec) {
    assertThat(spec).as("broker listener list").isNotBlank();
    Map<String, String> m = new LinkedHashMap<>();
    for (String l : spec.split(",")) {
      int sep = l.indexOf("://");
      m.put(l.substring(0, sep).trim(), l.substring(sep + 3).trim());
    }
    return m;
  }

  private static List<Integer> containerPorts(String service) {
    List<Integer> ports = new ArrayList<>();
    for (JsonNode p : COMPOSE.service(service).path("ports")) {
      if (p.isObject()) {
        ports.add(p.path("target").asInt());
      } else {
        String s = p.asText().replaceAll("/(tcp|udp)$", "");
        ports.add(Integer.parseInt(s.substring(s.lastIndexOf(':') + 1)));
      }
    }
    for (JsonNode p : COMPOSE.service(service).path("expose")) {
      ports.add(p.asInt());
    }
    return ports;
  }

  /**
   * The host address of a short-syntax port, {@code [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTO]};
   * "" when there is none (all interfaces). IPv6 host addresses are written in brackets.
   */
  private static String hostIpOf(String spec) {
    String s = spec.replaceAll("/(tcp|udp|sctp)$", "");
    if (s.startsWith("[")) {
      return s.substring(1, s.indexOf(']'));
    }
    String[] parts = s.split(":");
    return parts.length == 3 ? parts[0] : "";
  }

  private static String secretNameOf(String file) {
    assertThat(file).as("a compose secret path").startsWith("/run/secrets/");
    return file.substring("/run/secrets/".length());
  }
}
