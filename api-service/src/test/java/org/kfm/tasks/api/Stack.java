package org.kfm.tasks.api;

import io.quarkus.test.common.QuarkusTestResource;
import org.kfm.tasks.testing.TestStack;

/** Registers the real broker, database and keys once for every test class of this module. */
@QuarkusTestResource(TestStack.class)
public final class Stack {
  private Stack() {}
}
