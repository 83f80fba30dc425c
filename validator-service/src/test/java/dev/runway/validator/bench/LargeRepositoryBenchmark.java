package dev.runway.validator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import dev.runway.events.Environment;
import dev.runway.messaging.credentials.RepositoryCredentials;
import dev.runway.testsupport.GitHttpServer;
import dev.runway.validator.rules.Report;
import dev.runway.validator.rules.ValidationRequest;
import dev.runway.validator.rules.Validator;
import dev.runway.validator.source.CloneCache;
import dev.runway.validator.source.CloneLimits;
import dev.runway.validator.source.GitCommitSource;
import dev.runway.validator.source.RepositoryPolicy;

/**
 * The validator on a big repository: examples/acme-shop plus thousands of source files, thousands
 * of commits, a release tag every 100 commits and a migration every 25, built with JGit (objects
 * written directly, no work tree). Prints how long the service's paths take: a local path and a
 * file:// URL (what the CLI sends), both read in place; and the repository as a remote served over
 * HTTP (the test git server), read through the clone cache: the first request clones, later ones
 * read the cached clone, and a new commit is fetched alone. Prints figures; asserts nothing about
 * time. Run from the repository root (README).
 */
public final class LargeRepositoryBenchmark {

    static final int DEFAULT_COMMITS = 3000;
    static final int DEFAULT_FILES = 5000;

    public static void main(String[] args) throws Exception {
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_COMMITS;
        int files = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_FILES;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Path example = Path.of(args.length > 3 ? args[3] : "examples/acme-shop");
        Path dir = Files.createTempDirectory("runway-bench-");
        try {
            long t0 = System.nanoTime();
            Built built = build(dir, example, commits, files);
            System.out.printf("built %s: %d commits, %d files at HEAD, %d release tags, %d migrations, in %.1f s%n", dir, commits,
                    built.files, built.tags, built.migrations, (System.nanoTime() - t0) / 1e9);
            Validator validator = new Validator();
            ValidationRequest request = ValidationRequest.of(Environment.STAGING).withVersion(built.version)
                    .withCiEvidence("https://ci.example.com/runs/1");
            RepositoryPolicy policy = RepositoryPolicy.localUnder(dir);
            CloneLimits limits = new CloneLimits(Duration.ofMinutes(5), 2L * 1024 * 1024 * 1024);
            String gitDir = dir.resolve(".git").toString();
            measure("local path, opened in place", runs, () -> once(validator, gitDir, built.head, policy, limits, null, null, request));
            measure("file:// URL, read in place", runs, () -> once(validator, "file://" + gitDir, built.head, policy, limits, null, null, request));

            RepositoryCredentials.Credential credential = new RepositoryCredentials.Credential("bench-git", RepositoryCredentials.TOKEN_USER,
                    "bench-token");
            RepositoryPolicy http = RepositoryPolicy.of(List.of("http"), List.of("127.0.0.1"), List.of());
            Path cacheDir = dir.resolve("clone-cache");
            CloneCache cache = new CloneCache(cacheDir, 4L * 1024 * 1024 * 1024);
            // Served as a hosting service keeps it: packed (git's dumb protocol fetches loose objects one request each).
            long g0 = System.nanoTime();
            try (Git git = Git.open(dir.toFile())) {
                git.gc().call();
            }
            System.out.printf("packed for serving in %.1f s%n", (System.nanoTime() - g0) / 1e9);
            try (GitHttpServer server = GitHttpServer.serve(dir, "bench-token")) {
                long c0 = System.nanoTime();
                once(validator, server.url(), built.head, http, limits, credential, cache, request);
                System.out.printf("http remote through the clone cache: first request (clones, %d requests over git's dumb protocol) %.1f s%n",
                        server.requests().size(), (System.nanoTime() - c0) / 1e9);
                measure("http remote through the clone cache, commit cached", runs,
                        () -> once(validator, server.url(), built.head, http, limits, credential, cache, request));
                int before = server.requests().size();
                String next = addCommit(dir.resolve(".git"), built.head);
                long n0 = System.nanoTime();
                once(validator, server.url(), next, http, limits, credential, cache, request);
                System.out.printf("http remote through the clone cache: a new commit, fetched incrementally (%d requests) %.0f ms%n",
                        server.requests().size() - before, (System.nanoTime() - n0) / 1e6);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    interface Run {
        Report run() throws Exception;
    }

    private static Report once(Validator validator, String url, String commit, RepositoryPolicy policy, CloneLimits limits,
            RepositoryCredentials.Credential credential, CloneCache cache, ValidationRequest request) throws Exception {
        try (GitCommitSource source = GitCommitSource.open(url, commit, policy, limits, credential, cache)) {
            return validator.validate(source, request);
        }
    }

    private static void measure(String what, int runs, Run run) throws Exception {
        long c0 = System.nanoTime();
        Report first = run.run();
        double cold = (System.nanoTime() - c0) / 1e6;
        for (int i = 0; i < Math.min(10, runs); i++) {
            run.run();
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            run.run();
            ms.add((System.nanoTime() - s) / 1e6);
        }
        Collections.sort(ms);
        System.out.printf("%s: first %.0f ms; warm, %d runs: median %.0f ms, p90 %.0f ms, max %.0f ms (outcome %s, %d checks, %d errors)%n",
                what, cold, runs, ms.get(runs / 2), ms.get((int) Math.ceil(runs * 0.9) - 1), ms.get(runs - 1), first.outcome(),
                first.checks().size(), first.errors());
        if (first.errors() > 0) {
            first.failures().forEach(c -> System.out.println("  error: " + c.ruleId() + " " + c.message()));
        }
    }

    /** One more commit on main after {@code parent}: a changed source file, the same tree otherwise. */
    static String addCommit(Path gitDir, String parent) throws IOException {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
                ObjectInserter ins = repo.newObjectInserter()) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            ObjectId parentId = ObjectId.fromString(parent);
            try (RevWalk walk = new RevWalk(repo)) {
                builder.addTree(new byte[0], 0, repo.newObjectReader(), walk.parseCommit(parentId).getTree());
            }
            builder.finish();
            DirCacheEditor e = index.editor();
            put(e, ins, source(0), module(0, -1));
            e.finish();
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(index.writeTree(ins));
            c.setParentId(parentId);
            PersonIdent who = new PersonIdent("Bench", "bench@example.com", Instant.now(), ZoneOffset.UTC);
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("one more change\n");
            ObjectId id = ins.insert(c);
            ins.flush();
            RefUpdate main = repo.updateRef(Constants.R_HEADS + "main");
            main.setNewObjectId(id);
            main.forceUpdate();
            return id.name();
        }
    }

    record Built(String head, String version, int files, int tags, int migrations) {
    }

    /** Commit i changes one generated source file; every 25th adds a migration, every 100th is tagged as a release. */
    static Built build(Path dir, Path example, int commits, int files) throws IOException {
        try (Repository repo = FileRepositoryBuilder.create(dir.resolve(".git").toFile())) {
            repo.create();
            RefUpdate head = repo.getRefDatabase().newUpdate(Constants.HEAD, false);
            head.link(Constants.R_HEADS + "main");
            DirCache index = DirCache.newInCore();
            int tags = 0;
            int migrations = 0;
            String version = null;
            ObjectId parent = null;
            try (ObjectInserter ins = repo.newObjectInserter()) {
                DirCacheEditor editor = index.editor();
                List<Path> exampleFiles;
                try (Stream<Path> walk = Files.walk(example)) {
                    exampleFiles = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : exampleFiles) {
                    String path = example.relativize(f).toString().replace('\\', '/');
                    if (!path.startsWith("database/migrations/")) {
                        put(editor, ins, path, Files.readAllBytes(f));
                    }
                }
                for (int n = 0; n < files; n++) {
                    put(editor, ins, source(n), module(n, 0));
                }
                editor.finish();
                for (int i = 1; i <= commits; i++) {
                    DirCacheEditor e = index.editor();
                    put(e, ins, source(i % files), module(i % files, i));
                    if (i % 25 == 0) {
                        migrations++;
                        String stamp = String.format("2025%02d%02d%02d%02d00", 1 + (i / 25) / 28 % 12, 1 + (i / 25) % 28, (i / 25) % 24,
                                i % 60);
                        put(e, ins, "database/migrations/" + stamp + "_add_orders_field_" + i + ".sql",
                                ("ALTER TABLE orders ADD COLUMN field_" + i + " TEXT;\n").getBytes(StandardCharsets.UTF_8));
                    }
                    e.finish();
                    CommitBuilder c = new CommitBuilder();
                    c.setTreeId(index.writeTree(ins));
                    if (parent != null) {
                        c.setParentId(parent);
                    }
                    PersonIdent who = new PersonIdent("Bench", "bench@example.com", Instant.ofEpochSecond(1_735_689_600L + i * 600L), ZoneOffset.UTC);
                    c.setAuthor(who);
                    c.setCommitter(who);
                    c.setMessage("change " + i + "\n");
                    parent = ins.insert(c);
                    if (i % 100 == 0) {
                        tags++;
                        version = "1." + (i / 100) + ".0";
                        TagBuilder t = new TagBuilder();
                        t.setTag("v" + version);
                        t.setObjectId(parent, Constants.OBJ_COMMIT);
                        t.setTagger(who);
                        t.setMessage("v" + version + "\n");
                        ObjectId tag = ins.insert(t);
                        ins.flush();
                        RefUpdate ref = repo.updateRef(Constants.R_TAGS + "v" + version);
                        ref.setNewObjectId(tag);
                        ref.forceUpdate();
                    }
                }
                ins.flush();
            }
            RefUpdate main = repo.updateRef(Constants.R_HEADS + "main");
            main.setNewObjectId(parent);
            main.forceUpdate();
            return new Built(parent.name(), version, index.getEntryCount(), tags, migrations);
        }
    }

    private static String source(int n) {
        return "services/api/src/generated/part" + (n / 500) + "/module_" + n + ".js";
    }

    private static byte[] module(int n, int revision) {
        return ("// module " + n + " revision " + revision + "\nexports.read = (row) => row.field_" + n + " ?? row.note;\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void put(DirCacheEditor editor, ObjectInserter ins, String path, byte[] content) throws IOException {
        ObjectId blob = ins.insert(Constants.OBJ_BLOB, content);
        editor.add(new DirCacheEditor.PathEdit(path) {
            @Override
            public void apply(DirCacheEntry entry) {
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(blob);
                entry.setLength(content.length);
            }
        });
    }
}
