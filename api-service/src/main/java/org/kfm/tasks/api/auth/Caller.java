package org.kfm.tasks.api.auth;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.Set;

/** Who is asking: the token's user name and roles. Role {@code admin} sees every job. */
public record Caller(String name, Set<String> roles) {
  public static final String ADMIN = "admin";

  public static Caller of(SecurityIdentity identity) {
    return new Caller(identity.getPrincipal().getName(), identity.getRoles());
  }

  public boolean isAdmin() {
    return roles.contains(ADMIN);
  }

  public boolean holds(String role) {
    return role == null || isAdmin() || roles.contains(role);
  }

  public boolean mayRead(String owner) {
    return isAdmin() || name.equals(owner);
  }
}
