package dev.runway.validator.source;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.runway.messaging.Redaction;

/**
 * Which repositories the validator may read: the operator's schemes ({@code https}, {@code ssh}, {@code http},
 * {@code git}, {@code file}), hosts ({@code git.example.com}, {@code git.example.com:8443} or
 * {@code *.example.com}) and, for local paths and {@code file://} URLs, the directories they must lie under
 * (symbolic links resolved, and the repository's git directory and alternates too). Anything else is refused
 * with a reason naming the setting to change, before any file is opened or any connection made.
 */
public final class RepositoryPolicy {

    private static final Pattern SCP_LIKE = Pattern.compile("^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):(.*)$");
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\\d{1,5})?");

    /** Where a repository is, once allowed: a local path (or file:// URL) opened in place, or ({@code remote}) a URL to clone. */
    public record Location(String url, boolean remote, Path localPath) {
    }

    private final List<String> schemes;
    private final List<String> hosts;
    private final List<Path> fileRoots;

    private RepositoryPolicy(List<String> schemes, List<String> hosts, List<Path> fileRoots) {
        this.schemes = schemes;
        this.hosts = hosts;
        this.fileRoots = fileRoots;
    }

    /** @throws IllegalArgumentException for a host entry that is not {@code host}, {@code host:port} or {@code *.domain} */
    public static RepositoryPolicy of(Collection<String> schemes, Collection<String> hosts, Collection<Path> fileRoots) {
        Set<String> s = new TreeSet<>();
        schemes.forEach(x -> s.add(x.trim().toLowerCase(Locale.ROOT)));
        List<String> h = new ArrayList<>();
        for (String entry : hosts) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            if (!HOST.matcher(e).matches()) {
                throw new IllegalArgumentException("runway.validator.repositories.allow-hosts: '" + entry
                        + "' is not host, host:port or *.domain");
            }
            h.add(e);
        }
        List<Path> roots = new ArrayList<>();
        fileRoots.forEach(root -> roots.add(real(root)));
        return new RepositoryPolicy(List.copyOf(s), List.copyOf(h), List.copyOf(roots));
    }

    /** Local repositories under {@code roots} only (file paths and file:// URLs), nothing remote. */
    public static RepositoryPolicy localUnder(Path... roots) {
        return of(List.of("file"), List.of(), List.of(roots));
    }

    /**
     * Where {@code url} points, if this policy allows it.
     *
     * @throws SourceUnavailableException saying what is not allowed and which setting allows it
     */
    public Location check(String url) throws SourceUnavailableException {
        String shown = Redaction.redact(url);
        Matcher scp = SCP_LIKE.matcher(url);
        if (!url.contains("://") && scp.matches()) {
            return remote(url, shown, "ssh", scp.group(2), 22);
        }
        if (!url.contains("://")) {
            Path path;
            try {
                path = Path.of(url);
            } catch (InvalidPathException e) {
                throw new SourceUnavailableException("repository " + shown + " is not a valid path");
            }
            return local(path, shown);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw new SourceUnavailableException("repository " + shown + " is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            if (uri.getHost() != null && !uri.getHost().isEmpty() && !uri.getHost().equalsIgnoreCase("localhost")) {
                throw new SourceUnavailableException("repository " + shown + " names a host; file URLs are local paths");
            }
            Path path;
            try {
                path = Path.of(new URI("file", null, uri.getPath(), null));
            } catch (Exception e) {
                throw new SourceUnavailableException("repository " + shown + " is not a valid file URL");
            }
            return local(path, shown);
        }
        if (uri.getHost() == null) {
            throw new SourceUnavailableException("repository " + shown + " names no host");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : switch (scheme) {
            case "https" -> 443;
            case "http" -> 80;
            case "ssh" -> 22;
            case "git" -> 9418;
            default -> -1;
        };
        return remote(url, shown, scheme, uri.getHost(), port);
    }

    private Location remote(String url, String shown, String scheme, String host, int port) throws SourceUnavailableException {
        allowScheme(scheme, shown);
        String h = host.toLowerCase(Locale.ROOT);
        boolean allowed = hosts.stream().anyMatch(entry -> {
            String name = entry.contains(":") ? entry.substring(0, entry.indexOf(':')) : entry;
            int entryPort = entry.contains(":") ? Integer.parseInt(entry.substring(entry.indexOf(':') + 1)) : -1;
            boolean nameMatches = name.startsWith("*.") ? h.endsWith(name.substring(1)) : h.equals(name);
            return nameMatches && (entryPort < 0 || entryPort == port);
        });
        if (!allowed) {
            throw new SourceUnavailableException("repository " + shown + " is refused: host " + h + (port > 0 ? ":" + port : "")
                    + " is not in runway.validator.repositories.allow-hosts" + (hosts.isEmpty() ? " (none allowed)" : " " + hosts));
        }
        return new Location(url, true, null);
    }

    private Location local(Path path, String shown) throws SourceUnavailableException {
        allowScheme("file", shown);
        Path real = real(path);
        if (!underRoot(real)) {
            throw new SourceUnavailableException("repository " + shown + " is refused: local repositories must lie under "
                    + "runway.validator.repositories.allow-file-roots" + (fileRoots.isEmpty() ? " (none configured)" : " " + fileRoots));
        }
        Optional<String> escape = Files.isDirectory(real) ? escapes(real) : Optional.empty();
        if (escape.isPresent()) {
            throw new SourceUnavailableException("repository " + shown + " is refused: its " + escape.get() + " lies outside "
                    + "runway.validator.repositories.allow-file-roots");
        }
        // A file:// URL is read in place like a path: cloning a local repository per request only costs time.
        return new Location(real.toString(), false, real);
    }

    private void allowScheme(String scheme, String shown) throws SourceUnavailableException {
        if (!schemes.contains(scheme)) {
            throw new SourceUnavailableException("repository " + shown + " is refused: scheme " + (scheme.isEmpty() ? "(none)" : scheme)
                    + " is not in runway.validator.repositories.allow-schemes " + schemes);
        }
    }

    /** The git directory (a {@code .git} file may point elsewhere) and object alternates must stay under a root too. */
    private Optional<String> escapes(Path repository) {
        Path gitDir = repository;
        Path dotGit = repository.resolve(".git");
        try {
            if (Files.isRegularFile(dotGit)) {
                String line = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
                if (line.startsWith("gitdir:")) {
                    gitDir = real(repository.resolve(line.substring("gitdir:".length()).strip()));
                }
            } else if (Files.isDirectory(dotGit)) {
                gitDir = real(dotGit);
            }
            if (!underRoot(gitDir)) {
                return Optional.of("git directory");
            }
            Path alternates = gitDir.resolve("objects").resolve("info").resolve("alternates");
            if (Files.isRegularFile(alternates)) {
                for (String line : Files.readAllLines(alternates, StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && !underRoot(real(gitDir.resolve("objects").resolve(line.strip())))) {
                        return Optional.of("object alternates");
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty(); // unreadable: opening it fails later with its own reason
        }
        return Optional.empty();
    }

    private boolean underRoot(Path real) {
        return fileRoots.stream().anyMatch(real::startsWith);
    }

    /** The path with symbolic links resolved as far as it exists, so a link cannot lead out of a root. */
    private static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            return absolute;
        }
    }
}
