package org.kfm.tasks.worker;

import io.quarkus.test.common.QuarkusTestResource;
import org.kfm.tasks.testing.TestStack;

/**
 * Registers the real broker (and keys, database), and the stand-in forecast API, once for every
 * test class of this module.
 */
@QuarkusTestResource(TestStack.class)
@QuarkusTestResource(NoaaUpstream.class)
public final class Stack {
  private Stack() {}
}
