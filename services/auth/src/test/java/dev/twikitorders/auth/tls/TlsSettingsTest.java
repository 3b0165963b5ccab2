package dev.twikitorders.auth.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twikitorders.auth.Secret;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TlsSettingsTest {

  private static final Secret STORE = Secret.of("store-pass-1");
  private static final Secret KEY = Secret.of("key-pass-2");

  @Test
  void toStringNeverShowsPasswords() {
    TlsSettings store =
        new TlsSettings(
            TrustMaterial.pkcs12(Path.of("trust.p12"), STORE),
            KeyMaterial.store(Path.of("client.jks"), StoreType.JKS, STORE, KEY));
    TlsSettings pem =
        new TlsSettings(
            TrustMaterial.pem(Path.of("ca.pem")),
            KeyMaterial.pem(Path.of("client.pem"), Path.of("client-key.pem"), KEY));
    for (TlsSettings s : new TlsSettings[] {store, pem}) {
      assertThat(s.toString())
          .doesNotContain("store-pass-1", "key-pass-2")
          .contains("****")
          .contains(s.trust().file().toString());
    }
    assertThat(store.toString()).contains("client.jks", "JKS", "trust.p12", "PKCS12");
    assertThat(pem.toString()).contains("client.pem", "client-key.pem", "PEM");
    assertThat(TlsSettings.DEFAULT.toString()).contains("JVM default CAs", "key=none");
    assertThat(TrustMaterial.jks(Path.of("t.jks"), null).toString()).contains("password=none");
  }

  @Test
  void defaults() {
    assertThat(TlsSettings.DEFAULT.isDefault()).isTrue();
    assertThat(TlsSettings.DEFAULT.trust()).isNull();
    assertThat(TlsSettings.DEFAULT.key()).isNull();
    TlsSettings trusting = TlsSettings.trusting(TrustMaterial.pem(Path.of("ca.pem")));
    assertThat(trusting.isDefault()).isFalse();
    assertThat(trusting.withTrust(null)).isEqualTo(TlsSettings.DEFAULT);
    assertThat(KeyMaterial.pkcs12(Path.of("k.p12"), STORE).type()).isEqualTo(StoreType.PKCS12);
    assertThat(KeyMaterial.pem(Path.of("a"), Path.of("b"), null).type()).isEqualTo(StoreType.PEM);
  }

  @Test
  void inconsistentMaterialIsRefused() {
    assertThatThrownBy(() -> new TrustMaterial(Path.of("ca.pem"), StoreType.PEM, STORE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("takes no password")
        .hasMessageNotContaining("store-pass-1");
    assertThatThrownBy(() -> KeyMaterial.store(Path.of("k.pem"), StoreType.PEM, STORE, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KeyMaterial.pem");
    assertThatThrownBy(() -> KeyMaterial.pkcs12(Path.of("k.p12"), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("k.p12");
    assertThatThrownBy(() -> TrustMaterial.pem(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void storeTypesParse() {
    assertThat(StoreType.parse(null, StoreType.PKCS12, "x")).isEqualTo(StoreType.PKCS12);
    assertThat(StoreType.parse(" ", StoreType.PEM, "x")).isEqualTo(StoreType.PEM);
    assertThat(StoreType.parse("pem", StoreType.PKCS12, "x")).isEqualTo(StoreType.PEM);
    assertThat(StoreType.parse("jks", StoreType.PKCS12, "x")).isEqualTo(StoreType.JKS);
    assertThat(StoreType.parse("P12", StoreType.JKS, "x")).isEqualTo(StoreType.PKCS12);
    assertThat(StoreType.parse("pkcs12", StoreType.JKS, "x")).isEqualTo(StoreType.PKCS12);
    assertThatThrownBy(() -> StoreType.parse("DER", null, "twikit.ssl.truststore.type"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("twikit.ssl.truststore.type must be PKCS12, JKS or PEM, was 'DER'");
  }
}
