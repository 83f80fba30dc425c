package dev.runway.executor.commands;

/** A command that cannot be carried out; becomes a StepFailed reply with this code. */
public class StepFailure extends RuntimeException {

    private final String code;
    private final boolean retryable;

    public StepFailure(String code, String reason, boolean retryable) {
        super(reason);
        this.code = code;
        this.retryable = retryable;
    }

    public StepFailure(String code, String reason, boolean retryable, Throwable cause) {
        super(reason, cause);
        this.code = code;
        this.retryable = retryable;
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
