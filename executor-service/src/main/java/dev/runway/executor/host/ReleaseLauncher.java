package dev.runway.executor.host;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.executor.os.Exec;
import dev.runway.executor.repository.Checkouts;
import dev.runway.executor.repository.CommitTree;
import dev.runway.executor.repository.UnsafePathException;

/**
 * Starts a host release as the project, not as Runway (issue 15): a cleared environment (Runway's
 * few variables, the project's {@code config/<env>.env} read from the deployment's commit, the
 * operator's secrets for that project environment), the per-deployment checkout as working
 * directory, the artifact as argv (never concatenated into shell text) and, when the executor runs
 * as root, an unprivileged OS user ({@code runway.executor.host.run-as}).
 *
 * <p>How: {@code [setpriv --reuid --regid --clear-groups --inh-caps=-all --no-new-privs --] /bin/sh -c
 * 'eval "$(cat)" && exec "$@" </dev/null' runway-release <argv…>}. setpriv runs as root and so gets
 * only {@code PATH}: a project variable such as {@code LD_PRELOAD} must never reach a program running
 * as root. The release's variables travel on the process's stdin as {@code export K='v'} lines and are
 * set by the shell after privileges are dropped; they are never on a command line (world-readable in
 * {@code /proc}) nor in a file. The shell's script is fixed text; the artifact's words are its
 * positional arguments.
 */
@ApplicationScoped
public class ReleaseLauncher {

    private static final Logger LOG = Logger.getLogger(ReleaseLauncher.class);

    static final String TRAMPOLINE = "eval \"$(cat)\" && exec \"$@\" </dev/null";
    static final int MAX_ENV_FILE_BYTES = 64 * 1024;
    /** Set by Runway; a project's file or an operator's secret may not set them. */
    static final Set<String> RESERVED = Set.of("PORT", "VERSION", "COLOR", "PATH", "HOME");
    static final String RESERVED_PREFIX = "RUNWAY_";
    /** The default locale of a release (the project may set LANG itself). */
    static final String LANG = "C.UTF-8";

    private final ExecutorConfig.Host config;
    private final Checkouts checkouts;
    private final AppSecrets secrets;
    private final List<Path> secretDirs;
    private final int executorUid;

    @Inject
    public ReleaseLauncher(ExecutorConfig config, Checkouts checkouts) {
        this(config, checkouts, System.getenv(), currentUid());
    }

    ReleaseLauncher(ExecutorConfig config, Checkouts checkouts, Map<String, String> env, int executorUid) {
        this.config = config.host();
        this.checkouts = checkouts;
        Optional<Path> appSecrets = config.host().secretsDir().map(d -> Path.of(d).toAbsolutePath().normalize());
        this.secrets = new AppSecrets(env, appSecrets);
        List<Path> dirs = new ArrayList<>();
        appSecrets.ifPresent(dirs::add);
        config.database().secretsDir().map(d -> Path.of(d).toAbsolutePath().normalize()).ifPresent(dirs::add);
        this.secretDirs = List.copyOf(dirs);
        this.executorUid = executorUid;
    }

    /** Who a release runs as: {@code dropped} = the unprivileged run-as user (the executor is root). */
    record Identity(String user, int uid, int gid, boolean dropped) {
        @Override
        public String toString() {
            return user + " (uid " + uid + ")";
        }
    }

    /** A release ready to start: its argv, its whole environment, who it runs as and where. */
    record Launch(List<String> argv, Map<String, String> env, Identity identity, Path checkout) {
    }

    /** The artifact's words, refused with the reason when it cannot run without a shell. */
    static List<String> argv(String artifact) {
        try {
            return Argv.split(artifact);
        } catch (IllegalArgumentException e) {
            throw new StepFailure("BAD_ARTIFACT", "deploy.artifact cannot be started: " + e.getMessage(), false);
        }
    }

    /**
     * Who releases run as, checked now: the executor's own user when it is not root; else the
     * run-as user, which must exist, must not be root, and must not be able to read the secrets dirs.
     */
    Identity identity() {
        if (executorUid != 0) {
            return new Identity(System.getProperty("user.name"), executorUid, -1, false);
        }
        String name = config.runAs();
        Exec.Result entry = Exec.attempt(List.of("getent", "passwd", name), Map.of(), Duration.ofSeconds(10));
        String[] fields = entry.output().strip().split(":");
        if (entry.exitCode() != 0 || fields.length < 4) {
            throw new StepFailure("RUN_AS_USER_MISSING", "the executor runs as root, so host releases run as the unprivileged OS user '"
                    + name + "' (runway.executor.host.run-as), and there is no such user: create it with"
                    + " `useradd --system --no-create-home --shell /usr/sbin/nologin " + name + "` (./runway does when run as root)", false);
        }
        Identity id = new Identity(name, Integer.parseInt(fields[2]), Integer.parseInt(fields[3]), true);
        if (id.uid() == 0 || id.gid() == 0) {
            throw new StepFailure("RUN_AS_ROOT", "runway.executor.host.run-as '" + name + "' is root (uid/gid 0): name an unprivileged user", false);
        }
        if (!Files.isExecutable(Path.of(config.setpriv()))) {
            throw new StepFailure("NO_SETPRIV", config.setpriv() + " is missing: it drops host releases to '" + name
                    + "' (Debian package util-linux; runway.executor.host.setpriv)", false);
        }
        for (Path dir : secretDirs) {
            exposed(dir, id).ifPresent(mode -> {
                throw new StepFailure("SECRETS_EXPOSED", "secrets dir " + dir + " is readable by " + name + " (mode " + mode
                        + "), which releases run as: `chmod 700 " + dir + "` (owned by the executor's user)", false);
            });
        }
        return id;
    }

    /**
     * Everything a release needs before the slot it replaces is stopped: the checkout made readable
     * for the run-as user, the environment built (config file and secrets checked), the argv.
     */
    Launch prepare(SlotState state, String colour, String artifact, String version, Path checkout, String commit) {
        List<String> argv = argv(artifact);
        Identity id = identity();
        ProjectEnv key = SlotStore.keyOf(state);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LANG", LANG);
        declared(key, checkout, commit).forEach((k, v) -> env.put(reserved(k, "config/" + key.env() + ".env"), v));
        secrets.of(key).forEach((k, v) -> {
            reserved(k, "the operator's secrets for " + key);
            env.put(k, v);
        });
        env.put("PORT", Integer.toString(state.port(colour)));
        env.put("VERSION", version);
        env.put("COLOR", colour);
        env.put("RUNWAY_PROJECT", key.project());
        env.put("RUNWAY_ENVIRONMENT", key.env());
        env.put("RUNWAY_COMPONENT", state.component);
        env.put("PATH", config.path());
        env.put("HOME", checkout.toString());
        if (id.dropped()) {
            grantRead(checkout, id);
        }
        return new Launch(argv, env, id, checkout);
    }

    /** Starts the release: output appended to {@code log}, stdin closed once its environment is handed over. */
    Process start(Launch launch, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        Identity id = launch.identity();
        if (id.dropped()) {
            command.addAll(List.of(config.setpriv(), "--reuid=" + id.uid(), "--regid=" + id.gid(), "--clear-groups", "--inh-caps=-all",
                    "--no-new-privs", "--"));
        }
        command.addAll(List.of("/bin/sh", "-c", TRAMPOLINE, "runway-release"));
        command.addAll(launch.argv());
        ProcessBuilder builder = new ProcessBuilder(command).directory(launch.checkout().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectInput(ProcessBuilder.Redirect.PIPE);
        // Nothing of the executor's environment: what runs before the shell (setpriv, as root) sees only PATH.
        builder.environment().clear();
        builder.environment().put("PATH", config.path());
        Process process = builder.start();
        try (Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : launch.env().entrySet()) {
                in.write("export " + e.getKey() + "='" + e.getValue().replace("'", "'\\''") + "'\n");
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new StepFailure("START_FAILED", "the release exited before it took its environment: see " + log, true, e);
        }
        LOG.debugf("release pid %d runs as %s", process.pid(), id);
        return process;
    }

    /** {@code config/<env>.env} of the commit (none = no variables); refused when malformed or outside the repository. */
    private static Map<String, String> declared(ProjectEnv key, Path checkout, String commit) {
        String file = "config/" + key.env() + ".env";
        try (CommitTree tree = CommitTree.open(checkout, commit == null ? "HEAD" : commit)) {
            return tree.file(file, MAX_ENV_FILE_BYTES).map(f -> EnvFile.parse(file, f.text())).orElse(Map.of());
        } catch (UnsafePathException | IllegalArgumentException e) {
            throw new StepFailure("BAD_ENV_FILE", file + " of the deployment's commit is refused: " + e.getMessage(), false);
        }
    }

    private static String reserved(String name, String source) {
        if (RESERVED.contains(name) || name.startsWith(RESERVED_PREFIX)) {
            throw new StepFailure(source.startsWith("config/") ? "BAD_ENV_FILE" : "BAD_SECRET", source + " sets " + name
                    + ", which Runway sets itself (PORT, VERSION, COLOR, PATH, HOME, RUNWAY_*)", false);
        }
        return name;
    }

    /** The mode of {@code dir} when the run-as user could read or enter it (others, or its own group); empty when it cannot. */
    private static Optional<String> exposed(Path dir, Identity id) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
            int group = (Integer) Files.getAttribute(dir, "unix:gid");
            boolean others = perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.OTHERS_EXECUTE);
            boolean ownGroup = group == id.gid()
                    && (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.GROUP_EXECUTE));
            return others || ownGroup ? Optional.of(Integer.toOctalString((Integer) Files.getAttribute(dir, "unix:mode") & 0777))
                    : Optional.empty();
        } catch (IOException e) {
            throw new StepFailure("SECRETS_EXPOSED", "cannot check who may read " + dir + ": " + e.getMessage(), true);
        }
    }

    /**
     * The checkout (and the directories above it, up to the checkouts root) readable by the run-as
     * user's group and by nobody else, and writable by neither: group = run-as group, 0750 / 0640
     * (execute kept where the commit has it). Symlinks are never followed.
     */
    private void grantRead(Path checkout, Identity id) {
        try {
            for (Path dir = checkout.getParent(); dir != null && dir.startsWith(checkouts.root()); dir = dir.getParent()) {
                restrict(dir, id.gid());
            }
            try (Stream<Path> tree = Files.walk(checkout)) {
                for (Path p : tree.toList()) {
                    restrict(p, id.gid());
                }
            }
        } catch (IOException e) {
            throw new StepFailure("CHECKOUT_FAILED", "cannot make " + checkout + " readable for " + id + ": " + e.getMessage(), true, e);
        }
    }

    private static void restrict(Path p, int gid) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return;
        }
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> current = view.readAttributes().permissions();
        boolean executable = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || current.contains(PosixFilePermission.OWNER_EXECUTE);
        Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ);
        if (executable) {
            perms.add(PosixFilePermission.OWNER_EXECUTE);
            perms.add(PosixFilePermission.GROUP_EXECUTE);
        }
        view.setPermissions(perms);
    }

    /** The executor's effective uid: the owner of its own /proc entry. */
    private static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            // Unsure is treated as root when the name says so: a release must never run as root by mistake.
            return "root".equals(System.getProperty("user.name")) ? 0 : -1;
        }
    }
}
