package dev.twikitorders.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A registry child left behind by a parent killed with SIGKILL is stopped by the next start. */
class OrphanReaperTest {
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killAll() {
    started.forEach(Process::destroyForcibly);
  }

  private Process markedProcess(long parentPid) throws Exception {
    // a stand-in for the registry JVM: a long-lived process carrying the parent marker in its
    // arguments
    Process p =
        new ProcessBuilder(
                "sh",
                "-c",
                "while :; do sleep 1; done",
                "-D" + EmbeddedSchemaRegistry.PARENT_PID_PROPERTY + "=" + parentPid)
            .start();
    started.add(p);
    return p;
  }

  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  @Test
  void reapsChildrenWhoseParentIsGoneAndSparesTheOthers() throws Exception {
    Process orphan = markedProcess(deadPid());
    Process adopted = markedProcess(ProcessHandle.current().pid());

    int reaped = EmbeddedSchemaRegistry.Builder.reapOrphans();

    assertThat(reaped).isGreaterThanOrEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> !orphan.isAlive());
    assertThat(adopted.isAlive()).isTrue();
  }
}
