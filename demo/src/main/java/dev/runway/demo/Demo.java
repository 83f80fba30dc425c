package dev.runway.demo;

import java.util.Arrays;
import java.util.List;

/**
 * {@code ./runway demo}'s scenario. {@code ./runway} gets the stack up, stops the old services and slots and builds
 * what is missing; then it runs this program twice:
 * <ol>
 * <li>{@code prepare}: resets the local Runway for the demo (with the services stopped) and prints the
 * environment to start the services with (one {@code NAME=value} per word);</li>
 * <li>{@code run}: once the services are ready, the deployments, the board and the outcomes.</li>
 * </ol>
 * Options ({@code ./runway} passes them all): {@code --root --state --kafka --postgres --pg-user --pg-password --redis},
 * {@code --databases a,b} (prepare: the services' own databases), {@code --started <epoch s>} (run),
 * {@code --scenario shop|nextjs} (both: which demo; {@code shop} by default).
 * Exit codes: 0 done, 1 the demo could not go on (the reason on stderr), 2 usage.
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        try {
            if (args.length == 0) {
                throw new Settings.UsageException("prepare or run?");
            }
            Settings settings = Settings.parse(List.of(Arrays.copyOfRange(args, 1, args.length)));
            switch (args[0]) {
                case "prepare" -> Console.OUT.println(new Preparation(settings).run());
                case "run" -> {
                    if (Settings.NEXTJS.equals(settings.scenario())) {
                        new NextjsScenario(settings).run();
                    } else {
                        new Scenario(settings).run();
                    }
                }
                default -> throw new Settings.UsageException("unknown command " + args[0] + " (prepare or run)");
            }
            return 0;
        } catch (Settings.UsageException e) {
            Console.ERR.println("runway-demo: " + e.getMessage());
            Console.ERR.println("usage: runway-demo prepare|run --root DIR --state DIR --kafka HOST:PORT --postgres HOST:PORT"
                    + " --pg-user U --pg-password P --redis URL [--databases a,b] [--started EPOCH_S] [--scenario shop|nextjs]");
            return 2;
        } catch (Console.DemoFailure e) {
            e.print();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Console.die("interrupted").print();
            return 1;
        } catch (Exception e) {
            Console.die("the demo failed", e).print();
            return 1;
        }
    }
}
