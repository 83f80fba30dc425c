package dev.runway.executor.api;

/** Roles in a token's "groups" claim, as the orchestrator names them. */
public final class Roles {
    public static final String VIEWER = "viewer";
    public static final String DEPLOYER = "deployer";
    public static final String APPROVER = "approver";
    public static final String SRE = "sre";

    private Roles() {
    }
}
