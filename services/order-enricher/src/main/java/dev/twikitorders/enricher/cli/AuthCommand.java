package dev.twikitorders.enricher.cli;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import dev.twikitorders.auth.AuthException;
import dev.twikitorders.auth.ClientAuthMethod;
import dev.twikitorders.auth.Secret;
import dev.twikitorders.auth.Tokens;
import dev.twikitorders.auth.http.AuthHttp;
import dev.twikitorders.auth.oauth.ClientRegistrar;
import dev.twikitorders.auth.oauth.Discovery;
import dev.twikitorders.auth.oauth.PkceLogin;
import dev.twikitorders.auth.oauth.RegisteredClient;
import dev.twikitorders.auth.store.FileRefreshTokenStore;
import dev.twikitorders.enricher.app.Wiring;
import dev.twikitorders.enricher.config.EnricherConfig;
import dev.twikitorders.enricher.config.TwikitSettings;
import dev.twikitorders.settings.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code auth register} (RFC 7591 dynamic client registration) and {@code auth login}
 * (authorization code with PKCE through a loopback redirect, tokens into the refresh-token store):
 * the onboarding steps of an identity provider, on the Twikit client's settings (issuer, client id,
 * scope, TLS) so that what they write is what {@code run} reads.
 */
@Command(
    name = "auth",
    mixinStandardHelpOptions = true,
    description = {
      "Onboarding with an OAuth 2.0 identity provider, for the Twikit client's settings:",
      "  register  RFC 7591 dynamic client registration; writes the client id and secret to a file",
      "  login     authorization code with PKCE through a loopback redirect; stores the tokens for",
      "            twikit.auth.scheme=refresh_token",
      "Exit codes: 0 done, 1 refused or failed (the message says why), 2 bad flag or setting."
    },
    subcommands = {AuthCommand.Register.class, AuthCommand.Login.class})
final class AuthCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Waits for {@code f}; an {@link AuthException} is rethrown as it is. */
  static <T> T await(CompletableFuture<T> f, Duration timeout, String what) throws Exception {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      AuthException auth = AuthException.find(e);
      if (auth != null) {
        throw auth;
      }
      throw e.getCause() instanceof Exception c ? c : e;
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AuthFailedException(what + " did not finish within " + timeout.toSeconds() + " s");
    }
  }

  /** The metadata of {@code issuer}, or a configuration error naming what is missing. */
  static AuthorizationServerMetadata metadata(URI issuer, AuthHttp http, Duration timeout)
      throws Exception {
    return await(Discovery.resolve(issuer, http), timeout, "discovery at " + issuer);
  }

  /** A failed onboarding step (exit code 1). */
  static final class AuthFailedException extends RuntimeException {
    AuthFailedException(String message) {
      super(message);
    }
  }

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      usageHelpWidth = 120,
      description = {
        "Registers a client with the identity provider (RFC 7591) and writes the answer (client_id, client_secret,",
        "registered metadata) as JSON to --output, readable by its owner only. Prints the client id, never the",
        "secret. Point twikit.client.file (TWIKIT_CLIENT_FILE) at the file, or copy the id and the secret into",
        "twikit.client.id and a twikit.client.secret.file.",
        "The registration endpoint is --registration-url, or the registration_endpoint of the issuer's metadata",
        "(--issuer, default twikit.issuer.url). TLS: the twikit.ssl.* settings."
      })
  static final class Register implements Callable<Integer> {
    @Mixin ConfigOptions options = new ConfigOptions();
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--issuer",
        paramLabel = "URL",
        description =
            "Issuer whose metadata names the registration endpoint (default: twikit.issuer.url).")
    URI issuer;

    @Option(
        names = "--registration-url",
        paramLabel = "URL",
        description = "Registration endpoint; wins over the issuer's metadata.")
    URI registrationUrl;

    @Option(
        names = "--output",
        paramLabel = "FILE",
        required = true,
        description = "Where to write the registered client (JSON, owner read/write only).")
    Path output;

    @Option(names = "--force", description = "Overwrite --output if it exists.")
    boolean force;

    @Option(
        names = "--client-name",
        paramLabel = "NAME",
        defaultValue = "twikit-order-enricher",
        description = "client_name to register (default: ${DEFAULT-VALUE}).")
    String clientName;

    @Option(
        names = "--grant-type",
        paramLabel = "GRANT",
        split = ",",
        description =
            "Grant types to register: client_credentials (default), or authorization_code and"
                + " refresh_token for `auth login`. Repeatable or comma separated.")
    List<String> grantTypes = new ArrayList<>();

    @Option(
        names = "--redirect-uri",
        paramLabel = "URI",
        description =
            "Redirect URI(s) for authorization_code (default http://127.0.0.1/callback; the port"
                + " of a loopback URI may vary, RFC 8252).")
    List<URI> redirectUris = new ArrayList<>();

    @Option(
        names = "--scope",
        paramLabel = "SCOPES",
        description = "Space-separated scopes to register (default: twikit.scope).")
    String scope;

    @Option(
        names = "--public-client",
        description =
            "Register a public client (token_endpoint_auth_method none, no secret; PKCE only).")
    boolean publicClient;

    @Option(
        names = "--initial-access-token-file",
        paramLabel = "FILE",
        description = "File holding an initial access token, for an endpoint that requires one.")
    Path initialAccessTokenFile;

    @Option(
        names = "--timeout-s",
        paramLabel = "SECONDS",
        defaultValue = "30",
        description = "How long to wait for the identity provider (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      EnricherConfig config = options.load(System.getenv());
      TwikitSettings t = config.twikit();
      if (Files.exists(output) && !force) {
        throw new ConfigException("--output " + output + " exists; give --force to overwrite it");
      }
      Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
      AuthHttp http = Wiring.authHttp(config);
      URI endpoint = registrationUrl;
      if (endpoint == null) {
        URI from = issuer != null ? issuer : t.issuerUrl();
        if (from == null) {
          throw new ConfigException(
              "no registration endpoint: give --registration-url, or --issuer (or "
                  + TwikitSettings.ISSUER_URL.env()
                  + ") of an identity provider that publishes one");
        }
        AuthorizationServerMetadata md = metadata(from, http, timeout);
        if (md.getRegistrationEndpointURI() == null) {
          throw new AuthFailedException(
              "the metadata of issuer "
                  + from
                  + " has no registration_endpoint: this identity provider does not offer"
                  + " dynamic registration here; give --registration-url if it has one elsewhere");
        }
        endpoint = md.getRegistrationEndpointURI();
      }
      ClientMetadata metadata = clientMetadata(t);
      Secret initial = readSecretFile(initialAccessTokenFile, "--initial-access-token-file");
      RegisteredClient client =
          await(
              ClientRegistrar.register(endpoint, metadata, initial, http),
              timeout,
              "registration at " + endpoint);
      client.writeTo(output, force);
      out.println("Registered client id '" + client.clientId() + "' at " + endpoint + ".");
      out.println(
          "Client id"
              + (client.clientSecret() == null ? "" : " and secret")
              + " written to "
              + output
              + " (owner read/write only).");
      out.println(
          "Use it with: "
              + TwikitSettings.CLIENT_FILE.env()
              + "="
              + output
              + (metadata.getGrantTypes().contains(GrantType.AUTHORIZATION_CODE)
                  ? "  (then run `auth login` for twikit.auth.scheme=refresh_token)"
                  : ""));
      return 0;
    }

    private ClientMetadata clientMetadata(TwikitSettings t) {
      ClientMetadata md = new ClientMetadata();
      md.setName(clientName);
      Set<GrantType> grants = new LinkedHashSet<>();
      for (String g : grantTypes.isEmpty() ? List.of("client_credentials") : grantTypes) {
        try {
          grants.add(GrantType.parse(g.strip().toLowerCase(Locale.ROOT)));
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
          throw new ConfigException("--grant-type '" + g + "' is not a grant type");
        }
      }
      md.setGrantTypes(grants);
      if (grants.contains(GrantType.AUTHORIZATION_CODE)) {
        md.setRedirectionURIs(
            new LinkedHashSet<>(
                redirectUris.isEmpty()
                    ? List.of(URI.create("http://127.0.0.1/callback"))
                    : redirectUris));
        md.setResponseTypes(
            Set.of(
                new com.nimbusds.oauth2.sdk.ResponseType(
                    com.nimbusds.oauth2.sdk.ResponseType.Value.CODE)));
      } else if (!redirectUris.isEmpty()) {
        throw new ConfigException("--redirect-uri needs --grant-type authorization_code");
      }
      String s = scope != null ? scope : t.scope();
      if (s != null && !s.isBlank()) {
        md.setScope(com.nimbusds.oauth2.sdk.Scope.parse(s));
      }
      md.setTokenEndpointAuthMethod(
          publicClient
              ? ClientAuthenticationMethod.NONE
              : t.authMethod() == ClientAuthMethod.CLIENT_SECRET_BASIC
                  ? ClientAuthenticationMethod.CLIENT_SECRET_BASIC
                  : ClientAuthenticationMethod.CLIENT_SECRET_POST);
      return md;
    }
  }

  @Command(
      name = "login",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      usageHelpWidth = 120,
      description = {
        "Logs in with the authorization code grant and PKCE (S256; plain only when the identity provider offers",
        "nothing else): listens on 127.0.0.1 for the redirect, prints the URL to open in a browser, checks the",
        "state, exchanges the code and stores the tokens in the refresh-token store (--store, default",
        "twikit.refresh.token.file) that `run` uses with twikit.auth.scheme=refresh_token.",
        "Client: twikit.client.id (or twikit.client.file), twikit.client.secret(.file) for a confidential client.",
        "Endpoints: the issuer's metadata (--issuer, default twikit.issuer.url), or --authorization-url with",
        "twikit.token.url. TLS: the twikit.ssl.* settings."
      })
  static final class Login implements Callable<Integer> {
    @Mixin ConfigOptions options = new ConfigOptions();
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--issuer",
        paramLabel = "URL",
        description = "Issuer whose metadata names the endpoints (default: twikit.issuer.url).")
    URI issuer;

    @Option(
        names = "--authorization-url",
        paramLabel = "URL",
        description =
            "Authorization endpoint, when there is no issuer metadata (with twikit.token.url).")
    URI authorizationUrl;

    @Option(
        names = "--store",
        paramLabel = "FILE",
        description = "Refresh-token store to write (default: twikit.refresh.token.file).")
    Path store;

    @Option(
        names = "--scope",
        paramLabel = "SCOPES",
        description =
            "Scopes to ask for (default: twikit.scope; add offline.access where the server wants it).")
    String scope;

    @Option(
        names = "--port",
        paramLabel = "PORT",
        defaultValue = "0",
        description = "Loopback port of the redirect (default 0: any free port).")
    int port;

    @Option(
        names = "--redirect-path",
        paramLabel = "PATH",
        defaultValue = "/callback",
        description = "Path of the redirect URI (default: ${DEFAULT-VALUE}).")
    String redirectPath;

    @Option(
        names = "--timeout-s",
        paramLabel = "SECONDS",
        defaultValue = "300",
        description = "How long to wait for the browser (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      EnricherConfig config = options.load(System.getenv());
      TwikitSettings t = config.twikit();
      Path storeFile = store != null ? store : t.refreshTokenFile();
      if (storeFile == null) {
        throw new ConfigException(
            "no refresh-token store: give --store FILE or set "
                + TwikitSettings.REFRESH_TOKEN_FILE.env());
      }
      String clientId = t.clientId();
      if (clientId == null) {
        throw new ConfigException(
            "missing client id: set "
                + TwikitSettings.CLIENT_ID.env()
                + " or "
                + TwikitSettings.CLIENT_FILE.env()
                + " (written by `auth register`)");
      }
      AuthHttp http = Wiring.authHttp(config);
      Duration discoveryTimeout = Duration.ofSeconds(30);
      URI authorize;
      URI token;
      List<String> methods;
      URI from = issuer != null ? issuer : t.issuerUrl();
      if (authorizationUrl != null) {
        if (t.tokenUrl() == null) {
          throw new ConfigException(
              "--authorization-url needs the token endpoint: set "
                  + TwikitSettings.TOKEN_URL.env());
        }
        authorize = authorizationUrl;
        token = t.tokenUrl();
        methods = List.of(CodeChallengeMethod.S256.getValue());
      } else if (from != null) {
        AuthorizationServerMetadata md = metadata(from, http, discoveryTimeout);
        if (md.getAuthorizationEndpointURI() == null) {
          throw new AuthFailedException(
              "the metadata of issuer " + from + " has no authorization_endpoint");
        }
        authorize = md.getAuthorizationEndpointURI();
        token = t.tokenUrl() != null ? t.tokenUrl() : md.getTokenEndpointURI();
        methods =
            md.getCodeChallengeMethods() == null
                ? List.of()
                : md.getCodeChallengeMethods().stream().map(CodeChallengeMethod::getValue).toList();
      } else {
        throw new ConfigException(
            "no authorization endpoint: give --issuer (or set "
                + TwikitSettings.ISSUER_URL.env()
                + "), or --authorization-url");
      }
      String scopes = scope != null ? scope : t.scope();
      Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
      try (PkceLogin login =
          PkceLogin.start(
              new PkceLogin.Request(
                  authorize,
                  token,
                  clientId,
                  t.clientSecret(),
                  t.authMethod(),
                  scopes == null || scopes.isBlank() ? null : scopes,
                  methods,
                  port,
                  redirectPath),
              http)) {
        out.println("Open this URL in a browser and log in:");
        out.println();
        out.println("  " + login.authorizationUrl());
        out.println();
        out.println(
            "Waiting up to "
                + timeout.toSeconds()
                + " s for the redirect to "
                + login.redirectUri()
                + " ...");
        out.flush();
        Tokens tokens = await(login.result(), timeout, "the login");
        new FileRefreshTokenStore(storeFile).save(tokens, token, clientId);
        out.println(
            "Logged in: tokens stored in "
                + storeFile
                + " (owner read/write only); access token valid until "
                + tokens.accessTokenExpiresAt()
                + ". Run with "
                + TwikitSettings.AUTH_SCHEME.env()
                + "=refresh_token and "
                + TwikitSettings.REFRESH_TOKEN_FILE.env()
                + "="
                + storeFile
                + ".");
      }
      return 0;
    }
  }

  /** The trimmed content of {@code file} as a secret, or null when no file is given. */
  static Secret readSecretFile(Path file, String flag) {
    if (file == null) {
      return null;
    }
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (s.isEmpty()) {
        throw new ConfigException(flag + " " + file + " is empty");
      }
      return Secret.of(s);
    } catch (IOException e) {
      throw new ConfigException(
          flag + " " + file + " cannot be read: " + e.getClass().getSimpleName());
    }
  }
}
