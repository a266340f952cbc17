# Builds the pipeline (and the EM simulator, same jar) from this repository.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src src
COPY routes routes
RUN mvn -q -B package -DskipTests

FROM eclipse-temurin:17-jre
# /var/lib/vse-cluster: CLUSTER_FILE_ROOT of the compose profile "ha" (a named volume takes these owners)
RUN useradd --system --uid 10001 vse && mkdir -p /var/lib/vse /var/lib/vse-cluster && chown vse /var/lib/vse /var/lib/vse-cluster
COPY --from=build /src/target/veeam-session-events.jar /app/veeam-session-events.jar
USER vse
ENV STATE_DIR=/var/lib/vse
VOLUME /var/lib/vse
# heap = 75 % of the container's memory limit (256 MB -> 192 MB, what the benchmark's container phase runs with: a first
# load of 100,000 sessions completes in it); JAVA_TOOL_OPTIONS can still add or override options
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/veeam-session-events.jar"]
