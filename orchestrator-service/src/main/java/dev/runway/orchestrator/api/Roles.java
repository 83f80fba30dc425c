package dev.runway.orchestrator.api;

/** Roles carried in the token's {@code groups} claim. */
public final class Roles {
    public static final String DEPLOYER = "deployer";
    public static final String APPROVER = "approver";
    public static final String SRE = "sre";
    public static final String VIEWER = "viewer";

    private Roles() {
    }
}
