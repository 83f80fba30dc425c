package dev.runway.validator.source;

/** A file is larger than a read allowed; the rule reports it instead of loading it. */
public class FileTooLargeException extends RuntimeException {

    private final String path;
    private final long size;

    public FileTooLargeException(String path, long size, int limit) {
        super(path + " is " + size + " bytes, above the limit of " + limit);
        this.path = path;
        this.size = size;
    }

    public String path() {
        return path;
    }

    public long size() {
        return size;
    }
}
