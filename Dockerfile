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
COPY deploy/docker/start.sh /app/start.sh
USER vse
ENV STATE_DIR=/var/lib/vse
# the heap takes 75 % of the container's memory limit: 192 MB of a 256 MB limit, which holds 100,000 tracked
# sessions (docs/benchmark.md, "Memory in a container")
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
VOLUME /var/lib/vse
# java -jar, with class-data sharing for the pipeline from its second start on (deploy/docker/start.sh)
ENTRYPOINT ["/app/start.sh"]
