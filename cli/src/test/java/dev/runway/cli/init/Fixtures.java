package dev.runway.cli.init;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** Existing client repositories in the layouts real projects use, made as git repositories with JGit. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The SOP monorepo: a Next.js app in apps/web and a Node API in services/api, npm workspaces. */
    public static Path monorepo(Path dir) {
        write(dir, "package.json", "{\"name\": \"acme-platform\", \"private\": true, \"workspaces\": [\"apps/*\", \"services/*\"]}\n");
        write(dir, "package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {}}\n");
        write(dir, "apps/web/package.json", """
                {"name": "web", "scripts": {"build": "next build", "start": "next start"}, "dependencies": {"next": "^15.1.0", "react": "19.0.0"}}
                """);
        write(dir, "apps/web/Dockerfile", "FROM node:20.11-alpine\nCMD [\"npm\", \"start\"]\n");
        write(dir, "apps/web/app/api/health/route.ts", "export function GET() { return Response.json({ ok: true }); }\n");
        write(dir, "apps/web/app/page.tsx", "export default function Page() { return <a href={process.env.NEXT_PUBLIC_API_URL}>api</a>; }\n");
        write(dir, "services/api/package.json", "{\"name\": \"api\", \"scripts\": {\"start\": \"node src/server.js\"}}\n");
        write(dir, "services/api/Dockerfile", "FROM node:20.11-alpine\nCMD [\"node\", \"src/server.js\"]\n");
        write(dir, "services/api/src/server.js", """
                const http = require('http');
                const db = process.env.DATABASE_URL;
                const secret = process.env['JWT_SECRET'];
                http.createServer((req, res) => res.end(req.url === '/health' ? 'ok' : 'api')).listen(process.env.PORT || 4000);
                """);
        return commit(dir);
    }

    /** One Next.js application at the root with its Dockerfile and Prisma (the real open-source project). */
    public static Path nextjsPrisma(Path dir) {
        write(dir, "package.json", """
                {"name": "@acme/storefront", "scripts": {"build": "next build", "start": "next start"},
                 "dependencies": {"next": "14.2.3", "@prisma/client": "5.22.0"}, "devDependencies": {"prisma": "5.22.0"}}
                """);
        write(dir, "package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {}}\n");
        write(dir, "Dockerfile", "FROM node:20.11-alpine\nCMD [\"npm\", \"start\"]\n");
        write(dir, ".env.example", "DATABASE_URL=postgresql://localhost:5432/storefront\nNEXTAUTH_SECRET=\n");
        write(dir, "src/app/page.tsx", "const key = process.env.STRIPE_SECRET_KEY;\nexport default function Page() { return null; }\n");
        write(dir, "prisma/schema.prisma", """
                generator client {
                  provider = "prisma-client-js"
                }

                datasource db {
                  provider = "postgresql"
                  url      = env("DATABASE_URL")
                }
                """);
        write(dir, "prisma/migrations/migration_lock.toml", "provider = \"postgresql\"\n");
        write(dir, "prisma/migrations/20260115143022_init/migration.sql", "CREATE TABLE \"Order\" (\"id\" SERIAL PRIMARY KEY);\n");
        return commit(dir);
    }

    /** A Node API at the root installed with pnpm (packageManager field and pnpm-lock.yaml), without a Dockerfile. */
    public static Path pnpmApi(Path dir) {
        write(dir, "package.json", """
                {"name": "orders-api", "packageManager": "pnpm@9.12.0", "engines": {"node": ">=22"},
                 "scripts": {"start": "node dist/index.js", "build": "tsc"}}
                """);
        write(dir, "pnpm-lock.yaml", "lockfileVersion: '9.0'\n");
        write(dir, "src/index.ts", """
                import express from 'express';
                const app = express();
                app.get('/health', (_req, res) => res.send('ok'));
                const redis = process.env["REDIS_URL"];
                app.listen(8080);
                """);
        return commit(dir);
    }

    /** A Flutter application at the root, for Android and iOS. */
    public static Path flutter(Path dir) {
        write(dir, "pubspec.yaml", "name: shop_mobile\nenvironment:\n  sdk: '>=3.4.0 <4.0.0'\ndependencies:\n  flutter:\n    sdk: flutter\n");
        write(dir, "pubspec.lock", "packages: {}\nsdks:\n  dart: \">=3.4.0 <4.0.0\"\n");
        write(dir, "lib/main.dart", "void main() {}\n");
        write(dir, "android/app/build.gradle", "android {}\n");
        write(dir, "ios/Runner/Info.plist", "<plist/>\n");
        return commit(dir);
    }

    static void write(Path dir, String path, String content) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path commit(Path dir) {
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("Fixture", "fixture@example.com", Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
            git.commit().setMessage("client project").setAuthor(who).setCommitter(who).setSign(false).call();
            return dir;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }
}
