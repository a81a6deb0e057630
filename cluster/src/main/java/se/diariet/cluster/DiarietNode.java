package se.diariet.cluster;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node in this JVM, for Diariet's local test cluster (tools/cluster.py starts
 * one JVM per node). Arguments are settings as key=value; path.home is required. The plugins
 * are on the classpath (Maven), so no plugins folder and no distribution are needed.
 * Ends cleanly on SIGTERM (the node is closed), exits with 1 if the node cannot start.
 */
public final class DiarietNode extends Node {

    DiarietNode(Environment environment) {
        super(environment, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class), true);
    }

    public static void main(String[] args) throws Exception {
        Settings.Builder builder = Settings.builder();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("not key=value: " + arg);
                System.exit(2);
            }
            builder.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Settings settings = builder.build();
        if (!settings.hasValue("path.home")) {
            System.err.println("path.home=... is required");
            System.exit(2);
        }
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(settings.get("node.name", "node"));
        LogConfigurator.configureWithoutConfig(settings);

        Path config = Paths.get(settings.get("path.home")).resolve("config");
        Environment environment = new Environment(settings, config);
        DiarietNode node = new DiarietNode(environment);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "diariet-node-shutdown"));
        try {
            node.start();
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println("DIARIET-NODE-STARTED " + settings.get("node.name"));
        System.out.flush();
        stopped.await();
    }
}
