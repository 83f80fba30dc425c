package dev.runway.validator.rules;

/** The eight phases of the SOP's validation script (sop.md 000-6.1), numbered and named as it prints them. */
public enum Phase {
    STRUCTURE(1, "Repository Structure Validation"),
    MANIFEST(2, "Deployment Manifest Validation"),
    ENVIRONMENT(3, "Environment Configuration"),
    CODE(4, "Code Quality Checks"),
    DEPENDENCIES(5, "Dependency Checks"),
    TESTS(6, "Test Verification"),
    MIGRATIONS(7, "Database Migration Check"),
    CONTAINERS(8, "Docker Build Verification");

    private final int number;
    private final String title;

    Phase(int number, String title) {
        this.number = number;
        this.title = title;
    }

    public int number() {
        return number;
    }

    public String title() {
        return title;
    }
}
