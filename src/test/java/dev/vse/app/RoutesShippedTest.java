package dev.vse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The bundled routes are named one by one in {@code camel.main.routes-include-pattern} (a wildcard makes Camel scan
 * the whole fat jar at start-up): every file under {@code routes/} must be in that list, and nothing else.
 */
class RoutesShippedTest {

    @Test
    void everyRouteFileIsNamedInTheIncludePatternWithoutWildcards() throws IOException {
        Properties p = new Properties();
        try (InputStream in = RoutesShippedTest.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        List<String> named = Arrays.stream(p.getProperty("camel.main.routes-include-pattern").split(","))
                .map(String::trim).toList();
        assertThat(named).as("no wildcard (it scans the jar)").noneMatch(n -> n.contains("*"));
        List<String> files;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            files = s.map(f -> "classpath:routes/" + f.getFileName()).filter(n -> n.endsWith(".yaml")).toList();
        }
        assertThat(files).isNotEmpty();
        assertThat(named).containsExactlyInAnyOrderElementsOf(files);
        for (String n : named) {
            assertThat(RoutesShippedTest.class.getResource("/" + n.substring("classpath:".length())))
                    .as(n + " on the class path").isNotNull();
        }
    }
}
